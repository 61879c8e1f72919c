import type { SecretsProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import { awsKmsRenderer } from './awsKms';
import { azureKeyVaultRenderer } from './azureKeyVault';
import { SecretStoreRenderer } from './types';
import { vaultRenderer } from './vault';

export type { SecretStoreRenderer } from './types';

/** One renderer per built-in secrets store; a function for the reason builtInGatewayRenderers gives. */
export function builtInSecretStoreRenderers(): Record<
  SecretsProviderId,
  SecretStoreRenderer
> {
  return {
    vault: vaultRenderer,
    'azure-key-vault': azureKeyVaultRenderer,
    'aws-kms': awsKmsRenderer,
  };
}
