import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** The input field that locates the secrets store, for error messages. */
export function storeFieldOf(spec: DeploymentSpec): string {
  switch (spec.secrets.provider) {
    case 'vault':
      return 'spec.secrets.address';
    case 'azure-key-vault':
      return 'spec.secrets.vaultUrl';
    default:
      return spec.secrets.endpoint ? 'spec.secrets.endpoint' : 'spec.secrets.region';
  }
}
