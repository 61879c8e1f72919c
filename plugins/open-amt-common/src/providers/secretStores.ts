import { z } from 'zod';
import { awsRegion, httpUrl } from '../spec/fields';
import { secretsSpecSection } from '../spec/sections';
import { ProviderInfo, ProviderSpecSchema } from './types';
import { AWS_KIT_CONFIG_KEYS } from './awsSecretNames';

export const SECRETS_PROVIDER_IDS = [
  'vault',
  'azure-key-vault',
  'aws-kms',
] as const;
export type SecretsProviderId = (typeof SECRETS_PROVIDER_IDS)[number];

/**
 * A secrets store's registry entry. Built-ins have their ids in SecretsProviderId; a store an adopter adds through the
 * extension points is a `SecretsProviderInfo<string>`.
 */
export interface SecretsProviderInfo<Id extends string = SecretsProviderId>
  extends ProviderInfo<Id> {
  /** Its section of the deployment spec (`secrets`), from secretsSpecSection. */
  spec: ProviderSpecSchema;
  /** Value MPS_SECRETS_PROVIDER / RPS_SECRETS_PROVIDER must carry. */
  mpsSecretsProvider: string;
  /**
   * Config keys (rc, lower case) the provider kit's provider for this store reads beyond upstream's: the renderer
   * sets them as `MPS_<KEY>` / `RPS_<KEY>`, which the release's own services do not read.
   */
  kitConfigKeys?: readonly string[];
}

/**
 * What a kit store means for the operator: upstream MPS/RPS only load Vault, so the images the deployment's repository
 * builds add this project's provider; the identity MPS/RPS run as still needs its role on the store (runbook steps).
 */
const kitSecrets = (label: string) =>
  `Runs with the upstream MPS and RPS images plus this project's ${label} provider, which your deployment repository builds into them (scripts/build-images.sh or its CI workflow): the images must be in your registry before the first start, and the identity MPS and RPS run as must be granted access to the store (a runbook step).`;

const vaultSpec = secretsSpecSection('vault', () => ({
  address: httpUrl,
  /** KV v2 mount; the Helm chart uses `kv`, compose uses `secret`. */
  mount: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default('kv'),
  pathPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_/-]{0,127}$/)
    .default('open-amt'),
}));
const azureKeyVaultSpec = secretsSpecSection('azure-key-vault', () => ({
  vaultUrl: httpUrl.refine(u => u.startsWith('https://'), 'must be https'),
  prefix: z
    .string()
    .regex(/^[a-z0-9-]{0,40}$/)
    .default('open-amt'),
}));
const awsKmsSpec = secretsSpecSection('aws-kms', () => ({
  region: awsRegion,
  kmsKeyId: z.string().min(1).max(2048),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{0,100}$/)
    .default('open-amt'),
  /** Test and LocalStack-style deployments point the SDK elsewhere. */
  endpoint: httpUrl.optional(),
}));

/** The built-in stores' spec sections, for the deployment spec's static type. */
export const BUILT_IN_SECRETS_SPECS = [
  vaultSpec,
  azureKeyVaultSpec,
  awsKmsSpec,
] as const;

export const SECRETS_PROVIDERS: Record<SecretsProviderId, SecretsProviderInfo> =
  {
    vault: {
      spec: vaultSpec,
      id: 'vault',
      kind: 'secrets',
      label: 'HashiCorp Vault (KV v2)',
      supportLevel: 'native',
      mpsSecretsProvider: 'vault',
      productionIssues: ({ address }) =>
        String(address).startsWith('http://')
          ? [
              {
                path: 'address',
                message: 'production Vault must be reached over https',
              },
            ]
          : [],
      implication:
        'Runs with the upstream images; production mode needs init, unseal and a KV v2 mount, and MPS/RPS get least-privilege tokens.',
      docsUrl: 'https://developer.hashicorp.com/vault/docs/secrets/kv/kv-v2',
    },
    'azure-key-vault': {
      spec: azureKeyVaultSpec,
      id: 'azure-key-vault',
      kind: 'secrets',
      label: 'Azure Key Vault',
      supportLevel: 'kit',
      mpsSecretsProvider: 'azure-key-vault',
      implication: kitSecrets('Key Vault'),
      notVerified:
        "the Key Vault providers against Azure itself: they were tested with the real Azure SDK (@azure/keyvault-secrets, @azure/identity) against a contract server that reproduces the Key Vault REST API, soft delete and recovery included, and run inside upstream MPS and RPS of both releases against upstream's own API collections with it (every assertion passes but the one that reads Vault directly), not against a real vault; sign-in ran against a stand-in managed-identity endpoint, not Entra ID.",
      docsUrl: 'https://learn.microsoft.com/azure/key-vault/',
      consoleUrl:
        'https://portal.azure.com/#browse/Microsoft.KeyVault%2Fvaults',
    },
    'aws-kms': {
      spec: awsKmsSpec,
      id: 'aws-kms',
      kind: 'secrets',
      label: 'AWS KMS + Secrets Manager',
      supportLevel: 'kit',
      mpsSecretsProvider: 'aws-secrets-manager',
      kitConfigKeys: Object.values(AWS_KIT_CONFIG_KEYS),
      implication: `${kitSecrets(
        'Secrets Manager',
      )} Values live in AWS Secrets Manager, encrypted with your KMS key.`,
      notVerified:
        "the Secrets Manager providers against AWS itself: they were tested with the real AWS SDK (@aws-sdk/client-secrets-manager) against a contract server that reproduces the Secrets Manager API, recovery windows and the KMS key on create included, and run inside upstream MPS and RPS of both releases against upstream's own API collections with it (every assertion passes but the one that reads Vault directly), not against AWS, so IAM policies, IRSA and KMS encryption by the real service were not exercised.",
      docsUrl: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/',
      consoleUrl: 'https://console.aws.amazon.com/secretsmanager/home',
    },
  };
