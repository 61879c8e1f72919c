import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** Runtime secrets of a store without paths (Key Vault, Secrets Manager): names starting `<prefix>-<deployment>-`. */
export function prefixedRuntimePath(
  spec: DeploymentSpec,
  prefix: string | undefined,
): string {
  return `${prefix ? `${prefix}-` : ''}${spec.name}-`;
}
