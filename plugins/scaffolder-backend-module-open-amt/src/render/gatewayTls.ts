import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf } from './providers';

/** Gateways that run beside the services and terminate TLS for the public host themselves (registry: servesPublicTls). */
export function servesOwnTls(spec: DeploymentSpec): boolean {
  return gatewayRendererOf(spec).info.servesPublicTls;
}

/** Where such a gateway reads its certificate: tls.crt and tls.key, and tls.pem (both in one file, for Tyk). */
export const GATEWAY_TLS_DIR = '/etc/open-amt/gateway-tls';

/** The Secret (type kubernetes.io/tls) with the gateway's certificate for the public host. */
export const GATEWAY_TLS_SECRET = 'gateway-tls';

/** The TLS Secret of the websocket Ingress (ws.<public host>) beside a gateway that cannot carry websockets. */
export const WEBSOCKET_TLS_SECRET = 'open-amt-tls';
