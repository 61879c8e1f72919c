import type { SecretsProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAdapter } from '../types';
import { awsKmsAdapter } from './awsKms';
import { azureKeyVaultAdapter } from './azureKeyVault';
import { vaultAdapter } from './vault';

/** One adapter per secrets provider in the registry (open-amt-common SECRETS_PROVIDERS). */
export const secretStoreAdapters: Record<SecretsProviderId, SecretStoreAdapter> = {
  vault: vaultAdapter,
  'azure-key-vault': azureKeyVaultAdapter,
  'aws-kms': awsKmsAdapter,
};

export { vaultAdapter, azureKeyVaultAdapter, awsKmsAdapter };
export { parseSecretRef, secretSpecFromRef, azureSecretName, awsSecretName, vaultSecretPath } from './refs';
export type { ParsedSecretRef } from './refs';
export { CANARY_SECRET_NAME } from './shared';
