import type { SecretsProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import { awsKmsRenderer } from './awsKms';
import { azureKeyVaultRenderer } from './azureKeyVault';
import { SecretStoreRenderer } from './types';
import { vaultRenderer } from './vault';

export type { SecretStoreRenderer } from './types';

/** One renderer per secrets store; a new store = one file + one line here + one registry line. */
export const SECRET_STORE_RENDERERS: Record<
  SecretsProviderId,
  SecretStoreRenderer
> = {
  vault: vaultRenderer,
  'azure-key-vault': azureKeyVaultRenderer,
  'aws-kms': awsKmsRenderer,
};
