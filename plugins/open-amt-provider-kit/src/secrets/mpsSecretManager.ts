import type { HostLogger } from '../host/secrets';
import type { SecretEntryStore } from './store';
import {
  failureText,
  secretFromKey,
  isEntryObject,
  vaultShapedHealth,
} from './vaultShapes';

/**
 * MPS's ISecretManagerService (mps v2.13.21 and v2.34.1 src/interfaces/ISecretManagerService.ts, identical) over any
 * entry store, answering as MPS's Vault provider does (src/secrets/vault/index.ts, identical at both tags; line
 * numbers below). An entry holds what Vault keeps under `data.data`, so MPS and RPS read each other's entries
 * (devices/<guid>, MPSCerts) whatever store they share.
 */
export class MpsSecretManager {
  constructor(
    private readonly store: SecretEntryStore,
    private readonly logger: HostLogger,
  ) {}

  /** As the Vault provider answers it (vaultShapes.ts secretFromKey). */
  getSecretFromKey(path: string, key: string): Promise<string | null> {
    return secretFromKey(this.store, this.logger, path, key);
  }

  /**
   * Vault's `data` object: `{ data: <entry>, metadata: { version } }`; absent or failing, null (vault/index.ts:41-51:
   * MPS's Vault provider returns null on any error, and its callers treat null as "no credentials").
   */
  async getSecretAtPath(path: string): Promise<{
    data: Record<string, unknown>;
    metadata: { version: string };
  } | null> {
    try {
      this.logger.verbose(`getting secret ${path}`);
      const entry = await this.store.read(path);
      return entry
        ? { data: entry.value, metadata: { version: entry.version } }
        : null;
    } catch (error) {
      this.logger.error(
        `getSecretAtPath ${path} failed: ${failureText(error)}`,
      );
      return null;
    }
  }

  /**
   * MPS passes Vault's KV v2 request body, `{ data: {...} }` (src/utils/certificates.ts storeCertificates): the entry
   * is its `data`. true once stored; false on failure or without a `data` object (Vault refuses that body)
   * (vault/index.ts:53-63).
   */
  async writeSecretWithObject(path: string, body: unknown): Promise<boolean> {
    try {
      const data = isEntryObject(body) ? body.data : undefined;
      if (!isEntryObject(data))
        throw new Error('expected a { data: {...} } object');
      await this.store.write(path, data);
      this.logger.debug(`secret written: ${path}`);
      return true;
    } catch (error) {
      this.logger.error(
        `writeSecretWithObject ${path} failed: ${failureText(error)}`,
      );
      return false;
    }
  }

  /** ['admin', AMT_PASSWORD] of devices/<guid>, or null (vault/index.ts:65-73). */
  async getAMTCredentials(guid: string): Promise<string[] | null> {
    const secret = await this.getSecretAtPath(`devices/${guid}`);
    const password = secret?.data?.AMT_PASSWORD;
    if (password === null || password === undefined) return null;
    return ['admin', password as string];
  }

  /**
   * MPSCerts' entry, or null when it is absent. Unlike Vault's provider (vault/index.ts:75-82, null on any failure),
   * a failing store throws: MPS's only caller generates a new CIRA root and overwrites MPSCerts on null
   * (src/utils/certificates.ts getCertificates, v2.34.1:35-42, v2.13.21:34-41), which would cut off every device that
   * trusts the stored root; a throw stops MPS's start instead (v2.34.1 src/index.ts main, 60-73, catches and logs).
   */
  async getMPSCerts(): Promise<Record<string, unknown> | null> {
    const entry = await this.store.read('MPSCerts');
    return entry ? entry.value : null;
  }

  /** Removes the entry; a failure throws, as Vault's provider lets got's error through (vault/index.ts:84-94). */
  async deleteSecretAtPath(path: string): Promise<void> {
    this.logger.verbose(`deleting secret ${path}`);
    await this.store.remove(path);
    this.logger.debug(`secret deleted: ${path}`);
  }

  /** Throws when the store does not answer (vault/index.ts:96-103). */
  async health(): Promise<Record<string, unknown>> {
    return vaultShapedHealth(this.store);
  }
}
