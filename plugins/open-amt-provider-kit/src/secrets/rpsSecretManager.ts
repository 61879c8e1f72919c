import type { HostLogger } from '../host/secrets';
import type { SecretEntryStore } from './store';
import { failureText, secretFromKey, vaultShapedHealth } from './vaultShapes';

/**
 * RPS's ISecretManagerService (rps v2.22.14 and v2.39.4 src/interfaces/ISecretManagerService.ts: same methods) over
 * any entry store, answering as RPS's Vault provider does at v2.39.4 (src/secrets/vault/index.ts; line numbers
 * below are v2.39.4's). An entry holds what Vault keeps under `data.data`, so MPS and RPS read each other's entries.
 */
export class RpsSecretManager {
  constructor(
    private readonly store: SecretEntryStore,
    private readonly logger: HostLogger,
  ) {}

  /** As the Vault provider answers it (vaultShapes.ts secretFromKey). */
  getSecretFromKey(path: string, key: string): Promise<string | null> {
    return secretFromKey(this.store, this.logger, path, key);
  }

  /**
   * The entry with the store's `version` (vault/index.ts:53 sets Vault's metadata.version); null only when absent,
   * a failing store throws (v2.39.4 vault/index.ts:54-65 and the interface's comment). v2.22.14's provider returned
   * null on any failure; its callers take null for "absent" (e.g. v2.22.14 src/routes/admin/profiles/edit.ts:51-53
   * generates a new TLS certificate), so the kit throws at both tags.
   */
  async getSecretAtPath(
    path: string,
  ): Promise<(Record<string, unknown> & { version: string }) | null> {
    this.logger.verbose(`getting secrets from ${path}`);
    try {
      const entry = await this.store.read(path);
      if (!entry) {
        this.logger.debug(`secret not found at path: ${path}`);
        return null;
      }
      return { ...entry.value, version: entry.version };
    } catch (error) {
      this.logger.error(
        `getSecretAtPath ${path} failed: ${failureText(error)}`,
      );
      throw error;
    }
  }

  /**
   * Stores `data` as the entry. Vault's provider returns Vault's answer (`{ data: { version, ... } }`) and null on
   * failure (vault/index.ts:68-82); callers test only that it is truthy (e.g. maintenance/changePassword.ts).
   */
  async writeSecretWithObject(
    path: string,
    data: Record<string, unknown>,
  ): Promise<{ data: { version: string } } | null> {
    try {
      this.logger.verbose(`writing secret ${path}`);
      const { version } = await this.store.write(path, data);
      this.logger.debug(`secret written: ${path}`);
      return { data: { version } };
    } catch (error) {
      this.logger.error(
        `writeSecretWithObject ${path} failed: ${failureText(error)}`,
      );
      return null;
    }
  }

  /** true once removed, false on failure (vault/index.ts:84-100, both tags). */
  async deleteSecretAtPath(path: string): Promise<boolean> {
    try {
      this.logger.verbose(`deleting secret ${path}`);
      await this.store.remove(path);
      this.logger.debug(`secret deleted: ${path}`);
      return true;
    } catch (error) {
      this.logger.error(
        `Failed to delete secret ${path}: ${failureText(error)}`,
      );
      return false;
    }
  }

  /** Throws when the store does not answer (vault/index.ts:102-109). */
  async health(): Promise<Record<string, unknown>> {
    return vaultShapedHealth(this.store);
  }
}
