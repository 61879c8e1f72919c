import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AnySecretStoreAdapter,
  secretStoreAdapterForRef,
  secretStoreAdapters as defaultSecretStoreAdapters,
  StoreSpec,
} from '@open-amt-backstage/plugin-open-amt-node';
import { HealthConfig } from '../../config';
import { OwnIdentity } from './ownIdentity';

/**
 * Probe credentials behind an open-amt.io/credentials-ref, as stored (flat string map). Keys the engine
 * reads: `databaseUser`, `databasePassword` (or `dbUser`, `dbPassword`, as open-amt:secrets:provision
 * writes them), optionally `databaseCa` (PEM) and `vaultToken` (a token for the deployment's own Vault,
 * when it is not the portal's Vault).
 */
export type ProbeCredentials = Record<string, string>;

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

const TTL_MS = 5 * 60_000;
const FAILURE_TTL_MS = 30_000;

/**
 * Resolves credential references with the portal's own identity through the secret-store adapters,
 * caching each entry for a few minutes so a sweep over 1,000 deployments does not read the store 1,000
 * times. Error messages name the reference, never a value.
 */
export class CredentialResolver {
  private readonly cache = new Map<
    string,
    { expiresAt: number; value: Promise<ProbeCredentials> }
  >();

  constructor(
    private readonly options: {
      identity: OwnIdentity;
      secretStores: HealthConfig['secretStores'];
      logger: LoggerService;
      /** Store adapters by provider id (the built-ins by default); a reference's scheme picks one. */
      adapters?: Readonly<Record<string, AnySecretStoreAdapter>>;
      now?: () => number;
    },
  ) {}

  private get now() {
    return this.options.now ?? Date.now;
  }

  resolve(ref: string): Promise<ProbeCredentials> {
    const cached = this.cache.get(ref);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = this.read(ref);
    const entry = { expiresAt: this.now() + TTL_MS, value };
    this.cache.set(ref, entry);
    value.catch(() => {
      entry.expiresAt = this.now() + FAILURE_TTL_MS;
    });
    return value;
  }

  /** Forget cached credentials (a refresh after rotating the probe password). */
  invalidate(ref: string) {
    this.cache.delete(ref);
  }

  /**
   * Where a reference points, through the adapter of the store that wrote it (its scheme) and the portal's config
   * section for that store. Throws InputError for an unknown store or a malformed reference.
   */
  locate(ref: string): {
    adapter: AnySecretStoreAdapter;
    spec: StoreSpec;
    name: string;
  } {
    const adapter = secretStoreAdapterForRef(
      ref,
      this.options.adapters ?? defaultSecretStoreAdapters,
    );
    const key = adapter.portalIdentity?.configKey;
    return {
      adapter,
      ...adapter.locate(ref, key ? this.options.secretStores[key] : undefined),
    };
  }

  /**
   * The entry behind `ref`. A CredentialError's message is one clause saying what is wrong and what to do, ending in
   * a period; the health row puts it after "The database is not probed: ".
   */
  private async read(ref: string): Promise<ProbeCredentials> {
    let located: ReturnType<CredentialResolver['locate']>;
    try {
      located = this.locate(ref);
    } catch (error) {
      throw new CredentialError(
        `open-amt.io/credentials-ref ${ref} is not a reference this portal can read (${withoutRefPrefix(
          toError(error).message,
        )}); set it to the reference open-amt:secrets:provision wrote.`,
      );
    }
    const { adapter, spec, name } = located;
    const own = await this.options.identity.authFor(spec).catch(error => {
      throw new CredentialError(
        `the portal could not authenticate to ${
          spec.provider
        } to read ${ref} (${
          toError(error).message
        }); check its identity in openAmt.health.secretStores.`,
      );
    });
    // References name their store (a Key Vault URL, an AWS region): only the stores in config are read.
    if ('refused' in own)
      throw new CredentialError(
        `the portal does not read ${ref} because ${own.refused}; configure that store in openAmt.health.secretStores if the portal may read it.`,
      );
    const auth = own.auth;
    let entry: Record<string, string> | undefined;
    try {
      entry = await adapter.read(spec, auth, name);
    } catch (error) {
      this.options.logger.warn(
        `Reading probe credentials ${ref} failed: ${toError(error).message}`,
      );
      // The built-in stores name the entry they were reading; an added store's message may not.
      const what = toError(error).message;
      throw new CredentialError(
        `${
          what.includes(ref)
            ? what
            : `${what} when the portal read the probe credentials ${ref}`
        }; check that the portal reaches that store and may read the entry.`,
      );
    }
    if (!entry)
      throw new CredentialError(
        `the probe credentials ${ref} do not exist; run open-amt:secrets:provision for the deployment to write them.`,
      );
    return entry;
  }
}

/** A reference parser's message without its 'Invalid secret reference "<ref>": ' lead (the caller names the ref). */
function withoutRefPrefix(message: string): string {
  return message.replace(/^Invalid secret reference "[^"]*": /, '');
}
