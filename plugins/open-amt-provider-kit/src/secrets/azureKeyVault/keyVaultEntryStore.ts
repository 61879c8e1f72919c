import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import {
  KeyVaultSecret,
  SecretClient,
  SecretClientOptions,
} from '@azure/keyvault-secrets';
import { azureSecretName } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretEntryStore, StoredEntry } from '../store';
import { isEntryObject } from '../vaultShapes';

export interface KeyVaultEntryStoreOptions {
  /** `https://<vault>.vault.azure.net` (the host's vault_address). */
  vaultUrl: string;
  /** Entry name prefix (the host's secrets_path, `<prefix>-<deployment>-`). */
  prefix: string;
  credential: TokenCredential;
  /**
   * More SDK client options (transport, retries). The challenge resource check stays on whatever is passed: the SDK
   * sends a token only to a host inside the challenge's resource domain.
   */
  clientOptions?: Omit<
    SecretClientOptions,
    'disableChallengeResourceVerification'
  >;
  /** How often the SDK's delete and recover pollers look (their default: 2 s). */
  pollIntervalMs?: number;
}

/** A store failure, rebuilt from the SDK's error without it: that error carries the request, whose body may be a secret. */
export class KeyVaultStoreError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KeyVaultStoreError';
  }
}

/** Which entry path a secret holds: Key Vault names are lossy ([0-9a-zA-Z-], ≤127, case-insensitive). */
const PATH_TAG = 'open-amt-path';
/** Key Vault tag values hold at most 256 characters. */
const pathTag = (path: string) =>
  path.length <= 256
    ? path
    : `sha256:${createHash('sha256').update(path).digest('hex')}`;

type RestLike = { statusCode?: number; code?: string; message?: string };
const statusOf = (error: unknown) => (error as RestLike)?.statusCode;

function storeError(
  action: string,
  name: string,
  error: unknown,
): KeyVaultStoreError {
  const rest = (error ?? {}) as RestLike;
  const status = rest.statusCode;
  const firstLine = String(rest.message ?? error).split('\n')[0];
  return new KeyVaultStoreError(
    `Key Vault ${action} of ${name} failed: ${
      status ? `HTTP ${status} ` : ''
    }${firstLine}`,
    status,
    rest.code,
  );
}

/**
 * Azure Key Vault as an entry store, with @azure/keyvault-secrets: one secret per entry, named as the portal names
 * Key Vault entries (`azureSecretName(prefix, path)`), holding the entry as JSON; its version is the secret's version
 * id. The entry's path rides along as a tag, so two paths that map to the same name never read or replace each other.
 *
 * Soft delete (always on for new vaults) keeps a deleted secret for its retention days, and a set on its name answers
 * 409 Conflict, innererror ObjectIsDeletedButRecoverable, until it is recovered or purged ("Azure Key Vault recovery
 * overview" / soft-delete docs; REST Set Secret). So remove() deletes and waits for the SDK's delete poller (it polls
 * Get Deleted Secret until found: keyvault-secrets 4.11.2 dist/esm/lro/delete/operation.js:42-74), and write(), on
 * that 409, recovers the deleted secret, waits for the recover poller (it polls Get Secret until found:
 * lro/recover/operation.js:42-79) and sets the new value as a new version. It never purges: purge protection (our
 * Bicep enables it) refuses purge, and where purge is allowed it has nothing to poll: a set right after it answers 409
 * ObjectIsBeingDeleted for seconds (Azure/azure-sdk-for-net#26027, #34322; Azure/azure-sdk-for-python#19263).
 */
export class KeyVaultEntryStore implements SecretEntryStore {
  private readonly client: SecretClient;
  private readonly pollOptions: { intervalInMs?: number };

  constructor(private readonly options: KeyVaultEntryStoreOptions) {
    this.client = new SecretClient(options.vaultUrl, options.credential, {
      ...options.clientOptions,
      disableChallengeResourceVerification: false,
    });
    this.pollOptions =
      options.pollIntervalMs === undefined
        ? {}
        : { intervalInMs: options.pollIntervalMs };
  }

  /** The secret name of an entry path. */
  nameOf(path: string): string {
    return azureSecretName(this.options.prefix, path);
  }

  async read(path: string): Promise<StoredEntry | null> {
    const name = this.nameOf(path);
    const secret = await this.current(name, 'read');
    if (!secret || !holds(secret, path)) return null;
    let value: unknown;
    try {
      value = JSON.parse(secret.value ?? '');
    } catch {
      value = undefined;
    }
    if (!isEntryObject(value))
      throw new KeyVaultStoreError(
        `Key Vault secret ${name} does not hold a JSON object`,
      );
    return { value, version: secret.properties.version ?? '' };
  }

  async write(
    path: string,
    value: Record<string, unknown>,
  ): Promise<{ version: string }> {
    const name = this.nameOf(path);
    const existing = await this.current(name, 'write');
    if (existing && !holds(existing, path))
      throw new KeyVaultStoreError(
        `Key Vault secret ${name} holds another entry (${existing.properties.tags?.[PATH_TAG]}): entry paths ${path} and that one map to the same name`,
      );
    const set = async () => {
      const secret = await this.client.setSecret(name, JSON.stringify(value), {
        contentType: 'application/json',
        tags: { [PATH_TAG]: pathTag(path) },
      });
      return { version: secret.properties.version ?? '' };
    };
    try {
      return await set();
    } catch (error) {
      if (statusOf(error) !== 409 || !(await this.isDeleted(name)))
        throw storeError('write', name, error);
    }
    try {
      const poller = await this.client.beginRecoverDeletedSecret(
        name,
        this.pollOptions,
      );
      await poller.pollUntilDone();
      return await set();
    } catch (error) {
      throw storeError('write (after recovering it)', name, error);
    }
  }

  async remove(path: string): Promise<void> {
    const name = this.nameOf(path);
    const existing = await this.current(name, 'delete');
    if (!existing || !holds(existing, path)) return;
    try {
      const poller = await this.client.beginDeleteSecret(
        name,
        this.pollOptions,
      );
      await poller.pollUntilDone();
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw storeError('delete', name, error);
    }
  }

  /** One page of secret properties (names and attributes, no values): proves the vault answers this identity. */
  async health(): Promise<Record<string, unknown>> {
    try {
      await this.client
        .listPropertiesOfSecrets()
        .byPage({ maxPageSize: 1 })
        .next();
    } catch (error) {
      throw storeError('list', 'secrets', error);
    }
    return { store: 'azure-key-vault', vaultUrl: this.options.vaultUrl };
  }

  /** The secret's current version, or undefined when there is none (absent or soft-deleted: 404). */
  private async current(
    name: string,
    action: string,
  ): Promise<KeyVaultSecret | undefined> {
    try {
      return await this.client.getSecret(name);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storeError(action, name, error);
    }
  }

  private async isDeleted(name: string): Promise<boolean> {
    try {
      await this.client.getDeletedSecret(name);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw storeError('write (looking for a deleted secret)', name, error);
    }
  }
}

/** Whether the secret holds the entry at `path`: tagged with it, or untagged (written by hand, e.g. `az keyvault secret set`). */
function holds(secret: KeyVaultSecret, path: string): boolean {
  const tag = secret.properties.tags?.[PATH_TAG];
  return tag === undefined || tag === pathTag(path);
}
