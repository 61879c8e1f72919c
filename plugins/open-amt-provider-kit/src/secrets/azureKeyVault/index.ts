import { DefaultAzureCredential } from '@azure/identity';
import type { HostLogger, SecretsHost } from '../../host/secrets';
import { MpsSecretManager } from '../mpsSecretManager';
import { RpsSecretManager } from '../rpsSecretManager';
import { KeyVaultEntryStore } from './keyVaultEntryStore';
import {
  AZURE_SDK_ENV_PREFIXES,
  restoreSdkEnvironment,
} from '../sdkEnvironment';

export { KeyVaultEntryStore, KeyVaultStoreError } from './keyVaultEntryStore';
export type { KeyVaultEntryStoreOptions } from './keyVaultEntryStore';

/**
 * Where the store is, from the host's config as our renderer sets it (render/secrets/azureKeyVault.ts `address`,
 * `runtimeSecretsPath`): vault_address is the vault URL, secrets_path the entry name prefix. Nothing secret: the
 * identity comes from the environment.
 */
export function keyVaultLocationFromHost(host: SecretsHost): {
  vaultUrl: string;
  prefix: string;
} {
  const address = host.config.vault_address;
  let url: URL | undefined;
  try {
    url = address ? new URL(address) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:')
    throw new Error(
      'The Key Vault secrets provider needs vault_address (<SERVICE>_VAULT_ADDRESS) to be the vault URL, https://<vault>.vault.azure.net',
    );
  return {
    vaultUrl: url.origin,
    prefix: host.config.secrets_path ?? '',
  };
}

/**
 * The identity MPS and RPS run as: DefaultAzureCredential picks workload identity on AKS (the webhook sets
 * AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE), else a managed identity or environment credentials.
 */
function keyVaultStore(
  host: SecretsHost,
  env: Record<string, unknown> = process.env,
): KeyVaultEntryStore {
  // Upstream lower-cases process.env before the provider loads; the credential reads upper-case names.
  restoreSdkEnvironment(env, AZURE_SDK_ENV_PREFIXES);
  return new KeyVaultEntryStore({
    ...keyVaultLocationFromHost(host),
    credential: new DefaultAzureCredential(),
  });
}

/** MPS's secrets provider on Azure Key Vault (bundle `mps` × `secrets` × `azure-key-vault`). */
export function createMpsKeyVaultSecretManager(
  logger: HostLogger,
  host: SecretsHost,
): MpsSecretManager {
  return new MpsSecretManager(keyVaultStore(host), logger);
}

/** RPS's secrets provider on Azure Key Vault (bundle `rps` × `secrets` × `azure-key-vault`). */
export function createRpsKeyVaultSecretManager(
  logger: HostLogger,
  host: SecretsHost,
): RpsSecretManager {
  return new RpsSecretManager(keyVaultStore(host), logger);
}
