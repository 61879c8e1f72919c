import type { SecretsProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAuth } from '@open-amt-backstage/plugin-open-amt-node';
import { HealthConfig, VaultIdentityConfig } from '../../config';

/** The portal backend's own identity towards each kind of secret store (never a user's). */
export interface OwnIdentity {
  /** Undefined when config names no identity for that store. */
  authFor(provider: SecretsProviderId): Promise<SecretStoreAuth | undefined>;
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

export function createOwnIdentity(config: HealthConfig['secretStores'], now: () => number = Date.now): OwnIdentity {
  const vault = config.vault;
  const vaultToken = vault?.appRole ? appRoleTokenSource(vault, now) : undefined;
  let azureCredential: Promise<import('@azure/identity').TokenCredential> | undefined;

  return {
    async authFor(provider) {
      switch (provider) {
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
          return undefined;
      }
    },
  };
}
