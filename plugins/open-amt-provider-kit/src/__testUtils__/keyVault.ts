import {
  keyVaultClientAgent,
  KeyVaultState,
  startKeyVaultServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import type { HostLogger } from '../host/secrets';
import {
  KeyVaultEntryStore,
  keyVaultLocationFromHost,
} from '../secrets/azureKeyVault';

/** A host name in the domain the SDK's challenge check expects for resource https://vault.azure.net. */
export const VAULT_HOST = 'kit-test.vault.azure.net';
/** A host outside that domain, served by the same stand-in. */
export const FOREIGN_HOST = 'kit-test.example.test';
/** What our renderer sets as <SVC>_SECRETS_PATH for Key Vault (render/secrets/prefixed.ts). */
export const SECRETS_PATH = 'open-amt-prod-';

/**
 * The Key Vault stand-in, reached by the real SDK at https://kit-test.vault.azure.net:<port>: an https agent resolves
 * that name to the stand-in and trusts its test CA, nothing else changes (the challenge check and TLS name check
 * run). The credential mints tokens for the scope and tenant the SDK asks, and the stand-in accepts only those for its
 * own resource and tenant.
 */
export async function startKitKeyVault(state: Partial<KeyVaultState> = {}) {
  const kv = await startKeyVaultServer({
    hosts: [VAULT_HOST, FOREIGN_HOST],
    state,
  });
  const credential = kv.issuingCredential();
  const { agent, urlOf } = keyVaultClientAgent(kv, [VAULT_HOST, FOREIGN_HOST]);
  const storeFor = (
    opts: { host?: string; retries?: number; secretsPath?: string } = {},
  ) =>
    new KeyVaultEntryStore({
      ...keyVaultLocationFromHost({
        config: {
          vault_address: urlOf(opts.host ?? VAULT_HOST),
          secrets_path: opts.secretsPath ?? SECRETS_PATH,
        },
      }),
      credential,
      // No SDK retries unless asked: a test's injected failure must reach the store.
      clientOptions: { agent, retryOptions: { maxRetries: opts.retries ?? 0 } },
      // The pollers wait for the stand-in's state; a short interval only keeps the tests quick.
      pollIntervalMs: 5,
    });
  return {
    kv,
    credential,
    agent,
    urlOf,
    storeFor,
    async close() {
      agent.destroy();
      await kv.close();
    },
  };
}

/** A host logger that keeps what it was told (tests check that no secret value reaches it). */
export function recordingLogger(): HostLogger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (log: string, ...params: unknown[]) =>
      lines.push(
        [level, log, ...params.map(p => JSON.stringify(p) ?? String(p))].join(
          ' ',
        ),
      );
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    verbose: record('verbose'),
    silly: record('silly'),
  };
}
