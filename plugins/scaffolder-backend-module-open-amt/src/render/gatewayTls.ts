import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** Gateways that run beside the services and terminate TLS for the public host themselves (Kong, Tyk). */
export function servesOwnTls(spec: DeploymentSpec): boolean {
  return spec.gateway.provider === 'kong' || spec.gateway.provider === 'tyk';
}

/** Where such a gateway reads its certificate: tls.crt and tls.key, and tls.pem (both in one file, for Tyk). */
export const GATEWAY_TLS_DIR = '/etc/open-amt/gateway-tls';
