import type { ServiceAdapter, ServiceComponentId } from '../types';
import { mpsAdapter } from './mps';
import { mpsRouterAdapter } from './mpsRouter';
import { rpsAdapter } from './rps';
import { webUiAdapter } from './webUi';

/** Probes for the toolkit's own services, by component id. */
export const serviceAdapters: Record<ServiceComponentId, ServiceAdapter> = {
  mps: mpsAdapter,
  rps: rpsAdapter,
  mpsrouter: mpsRouterAdapter,
  webui: webUiAdapter,
};

export { mpsAdapter, rpsAdapter, mpsRouterAdapter, webUiAdapter };
/** MPS's CIRA endpoint (TLS on 4433): probed by host, port and common name, not by URL. */
export { ciraEndpointAdapter, CIRA_CERT_RENEW_DAYS } from './ciraEndpoint';
export type { ToolkitHealthBody } from './healthBody';
export { compareWithRelease } from './releaseVersion';
/** What MPS and RPS hold: device counts and the certificates devices depend on. */
export { devicesAdapter } from './devices';
export { certificatesAdapter, CERT_RENEW_DAYS } from './certificates';
export type { CertificateFinding } from './certificates';
