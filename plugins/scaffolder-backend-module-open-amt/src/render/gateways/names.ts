import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** The Secret an in-cluster gateway reads its JWT-bearing configuration from (External Secrets fills it). */
export function gatewayConfigSecretName(spec: DeploymentSpec): string {
  return `${spec.gateway.provider}-config`;
}
