import type { HostLogger } from '../host/secrets';
import type { SecretEntryStore } from './store';

/**
 * The hosts' health routes judge the secret store by Vault's sys/health fields: MPS answers 503 unless
 * `initialized === true && sealed === false` (mps v2.13.21 and v2.34.1 src/routes/health/get.ts:36-37), RPS unless
 * `initialized === true` and `sealed !== true` (rps v2.22.14 and v2.39.4 src/routes/admin/health/getHealth.ts:40-41).
 * A store that answered is "initialized and unsealed"; a store that did not throws, as Vault's health call does.
 */
export async function vaultShapedHealth(
  store: SecretEntryStore,
): Promise<Record<string, unknown>> {
  return {
    ...(await store.health()),
    initialized: true,
    sealed: false,
    standby: false,
  };
}

/** A failure for the host's log: the message only (SDK errors carry the request, whose body may hold a secret). */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A JSON object (not an array, not null): what an entry holds. */
export function isEntryObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * getSecretFromKey as both Vault providers answer it (mps vault/index.ts:27-39, rps :30-43 at every tag): the key's
 * value when truthy, else null; any failure is logged and null.
 */
export async function secretFromKey(
  store: SecretEntryStore,
  logger: HostLogger,
  path: string,
  key: string,
): Promise<string | null> {
  try {
    logger.verbose(`getting secret ${path}, ${key}`);
    const entry = await store.read(path);
    const value = entry?.value[key];
    if (value) return value as string;
  } catch (error) {
    logger.error(`getSecretFromKey ${path} failed: ${failureText(error)}`);
  }
  return null;
}
