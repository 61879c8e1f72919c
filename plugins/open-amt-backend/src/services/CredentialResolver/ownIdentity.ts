import { SecretsSpec, storeEndpointKey } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAuth } from '@open-amt-backstage/plugin-open-amt-node';
import { HealthConfig, VaultIdentityConfig } from '../../config';

/** The portal's identity for one store, or why it has none there (a sentence naming the config key). */
export type OwnStoreAuth = { auth: SecretStoreAuth } | { refused: string };

/**
 * The portal backend's own identity towards the secret stores configured in openAmt.health.secretStores (never a
 * user's). It is handed out only for those stores: a store address taken from a catalog entity gets it only when
 * it is the configured one, so an annotation cannot send the portal's token or signed requests elsewhere.
 */
export interface OwnIdentity {
  authFor(store: SecretsSpec): Promise<OwnStoreAuth>;
}

const APPROLE_TIMEOUT_MS = 10_000;

/**
 * AppRole login (POST /v1/auth/<mount>/login {role_id, secret_id} → auth.client_token), cached until
 * 80 % of the lease so a sweep does not log in for every deployment.
 */
function appRoleTokenSource(vault: VaultIdentityConfig, now: () => number) {
  let cached: { token: string; expiresAt: number } | undefined;
  return async (): Promise<string> => {
    if (cached && cached.expiresAt > now()) return cached.token;
    const appRole = vault.appRole!;
    const url = `${vault.address.replace(/\/+$/, '')}/v1/auth/${appRole.mountPath}/login`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role_id: appRole.roleId, secret_id: appRole.secretId }),
      signal: AbortSignal.timeout(APPROLE_TIMEOUT_MS),
    });
    if (!response.ok) {
      // The body may echo request data; only the status is reported.
      throw new Error(`Vault AppRole login at ${vault.address} failed with HTTP ${response.status}`);
    }
    const body = (await response.json()) as { auth?: { client_token?: string; lease_duration?: number } };
    const token = body.auth?.client_token;
    if (!token) throw new Error(`Vault AppRole login at ${vault.address} returned no token`);
    const leaseMs = (body.auth?.lease_duration ?? 0) * 1000;
    cached = { token, expiresAt: now() + (leaseMs > 0 ? leaseMs * 0.8 : 5 * 60_000) };
    return token;
  };
}

/** Why `store` is not one the portal is configured for, or undefined when it is. */
export function notConfiguredReason(store: SecretsSpec, config: HealthConfig['secretStores']): string | undefined {
  switch (store.provider) {
    case 'vault': {
      const configured = config.vault?.address;
      if (!configured) return 'the portal has no Vault identity (openAmt.health.secretStores.vault)';
      return storeEndpointKey(store.address) === storeEndpointKey(configured)
        ? undefined
        : `${store.address} is not the portal's Vault (openAmt.health.secretStores.vault.address)`;
    }
    case 'azure-key-vault': {
      const allowed = (config.azure?.vaultUrls ?? []).map(storeEndpointKey);
      return allowed.includes(storeEndpointKey(store.vaultUrl))
        ? undefined
        : `${store.vaultUrl} is not in openAmt.health.secretStores.azure.vaultUrls`;
    }
    case 'aws-kms': {
      const aws = config.aws;
      if (!aws?.region) return 'the portal has no AWS identity (openAmt.health.secretStores.aws.region)';
      if (store.region !== aws.region) return `region ${store.region} is not openAmt.health.secretStores.aws.region (${aws.region})`;
      if ((store.endpoint ?? '') !== (aws.endpoint ?? '')) {
        return `endpoint ${store.endpoint ?? '(regional default)'} is not openAmt.health.secretStores.aws.endpoint`;
      }
      return undefined;
    }
    default:
      return exhaustive(store);
  }
}

function exhaustive(store: never): never {
  throw new Error(`unknown secrets store ${JSON.stringify(store)}`);
}

export function createOwnIdentity(config: HealthConfig['secretStores'], now: () => number = Date.now): OwnIdentity {
  const vault = config.vault;
  const vaultToken = vault?.appRole ? appRoleTokenSource(vault, now) : undefined;
  let azureCredential: Promise<import('@azure/identity').TokenCredential> | undefined;

  const identityFor = async (store: SecretsSpec): Promise<SecretStoreAuth | undefined> => {
      switch (store.provider) {
        case 'vault':
          if (!vault) return undefined;
          if (vaultToken) return { kind: 'vault-token', token: await vaultToken() };
          return vault.token ? { kind: 'vault-token', token: vault.token } : undefined;
        case 'azure-key-vault':
          // Loaded on first use: @azure/identity is large and most portals never need it.
          azureCredential ??= import('@azure/identity').then(
            ({ DefaultAzureCredential }) =>
              new DefaultAzureCredential(
                config.azure?.managedIdentityClientId ? { managedIdentityClientId: config.azure.managedIdentityClientId } : {},
              ),
          );
          return { kind: 'azure', credential: await azureCredential };
        case 'aws-kms':
          // No explicit keys: the SDK's default chain (environment, web identity, instance role).
          return { kind: 'aws' };
        default:
          return exhaustive(store);
      }
  };

  return {
    async authFor(store) {
      const refused = notConfiguredReason(store, config);
      if (refused) return { refused };
      const auth = await identityFor(store);
      return auth ? { auth } : { refused: `the portal has no credentials for ${store.provider} in openAmt.health.secretStores` };
    },
  };
}
