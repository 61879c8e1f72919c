import { ProviderInfo } from './types';

export const SECRETS_PROVIDER_IDS = [
  'vault',
  'azure-key-vault',
  'aws-kms',
] as const;
export type SecretsProviderId = (typeof SECRETS_PROVIDER_IDS)[number];

export interface SecretsProviderInfo extends ProviderInfo<SecretsProviderId> {
  /** Value MPS_SECRETS_PROVIDER / RPS_SECRETS_PROVIDER must carry. */
  mpsSecretsProvider: string;
}

const CUSTOM_SECRETS =
  'The upstream MPS and RPS images only speak Vault KV v2: build images with a custom ISecretManagerService (toolkit Secrets guide).';

export const SECRETS_PROVIDERS: Record<SecretsProviderId, SecretsProviderInfo> =
  {
    vault: {
      id: 'vault',
      kind: 'secrets',
      label: 'HashiCorp Vault (KV v2)',
      supportLevel: 'native',
      mpsSecretsProvider: 'vault',
      implication:
        'Runs with the upstream images; production mode needs init, unseal and a KV v2 mount, and MPS/RPS get least-privilege tokens.',
      docsUrl: 'https://developer.hashicorp.com/vault/docs/secrets/kv/kv-v2',
    },
    'azure-key-vault': {
      id: 'azure-key-vault',
      kind: 'secrets',
      label: 'Azure Key Vault',
      supportLevel: 'custom',
      mpsSecretsProvider: 'azure-key-vault',
      implication: CUSTOM_SECRETS,
      docsUrl: 'https://learn.microsoft.com/azure/key-vault/',
      consoleUrl:
        'https://portal.azure.com/#browse/Microsoft.KeyVault%2Fvaults',
    },
    'aws-kms': {
      id: 'aws-kms',
      kind: 'secrets',
      label: 'AWS KMS + Secrets Manager',
      supportLevel: 'custom',
      mpsSecretsProvider: 'aws-secrets-manager',
      implication: `${CUSTOM_SECRETS} Values live in AWS Secrets Manager, encrypted with your KMS key.`,
      docsUrl: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/',
      consoleUrl: 'https://console.aws.amazon.com/secretsmanager/home',
    },
  };
