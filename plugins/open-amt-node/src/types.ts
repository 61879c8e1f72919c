/**
 * The adapter contracts shared by the health engine (open-amt-backend) and the scaffolder actions
 * (scaffolder-backend-module-open-amt). One file per provider implements one of these.
 */
import type { Config } from '@backstage/config';
import type {
  ComponentId,
  DatabaseEngine,
  DatabaseProviderInfo,
  DatabaseProviderId,
  DatabaseSpec,
  GatewayProviderId,
  GatewayProviderInfo,
  GatewayRoute,
  HealthStatus,
  SecretsProviderInfo,
  SchemaVersionFinding,
  SecretsSpec,
} from '@open-amt-backstage/plugin-open-amt-common';

/** What every probe returns; the engine adds component, provider and checkedAt. */
export interface ProbeResult {
  status: HealthStatus;
  /** Round-trip in ms; undefined when nothing answered. */
  latencyMs?: number;
  /** One sentence an operator understands. */
  message: string;
  /** Facts learned (version, sealed, tables present, drift…). Never secrets. */
  details?: Record<string, unknown>;
}

/** Decides which hosts a probe may reach (SSRF guard); see net/hostGuard.ts. */
export interface HostGuard {
  /** Resolves `host` and throws HostNotAllowedError unless every resolved address is allowed. */
  assertAllowed(host: string): Promise<void>;
}

/**
 * Facts a probe learned that rarely change (a service's version, the routes of one Kong configuration hash, the
 * portal's Vault token expiry and KV mount), kept for one component between sweeps so a steady-state probe only
 * asks what can change from one minute to the next. The engine decides how long a fact is trusted.
 */
export interface ProbeMemory {
  /** The fact, or undefined when it was never learned, is too old, or this probe must ask afresh. */
  recall<T>(key: string): T | undefined;
  remember<T>(key: string, value: T): void;
  /** Drops a fact that may no longer hold (e.g. after the component failed). */
  forget(key: string): void;
}

export interface ProbeContext {
  /** Per-probe budget; a probe must settle (with status down/unknown) within it. */
  timeoutMs: number;
  guard: HostGuard;
  /** Response bodies larger than this are refused (default 1 MiB). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Without it (on-demand refresh, scaffolder, tests) a probe asks everything every time. */
  memory?: ProbeMemory;
}

// ---------- databases ----------

export interface DatabaseTarget {
  host: string;
  port: number;
  tlsMode: 'disable' | 'require' | 'verify-full';
  /** PEM CA bundle for verify-full against a private CA. */
  ca?: string;
  rpsDatabase: string;
  mpsDatabase: string;
  /**
   * The deployment's toolkit release (open-amt-common releases/): its schema is what init creates and grants and
   * what the probe expects. The newest release when absent.
   */
  toolkitRelease?: string;
}

/** Database names and the release whose schema the scripts hold (the newest when absent). */
export interface SchemaNames {
  rpsDatabase: string;
  mpsDatabase: string;
  toolkitRelease?: string;
}

export interface DatabaseCredentials {
  user: string;
  password: string;
}

/** SQL the render action writes into the deployment repository (and init executes). */
export interface SchemaScripts {
  /** File extension of the scripts, e.g. `sql`. */
  engine: DatabaseEngine;
  /** Statements creating the rps database's tables, idempotent. */
  rps: string;
  /** Statements creating the mps database's tables, idempotent. */
  mps: string;
  /** Admin script creating the two databases (no users, no passwords), idempotent; for the runbook. */
  setup?: string;
}

export interface DatabaseInitReport {
  createdDatabases: string[];
  createdUsers: string[];
  /** Statements that changed something; empty on a second run. */
  changes: string[];
  /**
   * App users whose password was (re)set to the provided value. Not a structural change: it stays empty on a
   * re-run where the server lets the admin compare stored hashes (PostgreSQL superuser, MariaDB, SQL Server),
   * and lists every existing user where it cannot (managed PostgreSQL admins cannot read pg_authid).
   */
  passwordsSet?: string[];
}

/** The schema version found in one database (schema/version.ts); defined in common, where drift reads it. */
export type { SchemaVersionFinding } from '@open-amt-backstage/plugin-open-amt-common';

export interface SchemaMigrationReport {
  from: string;
  to: string;
  /** Per database, in order: `rps: add column profiles.x` and whether it ran or was already there. */
  steps: { step: string; outcome: 'applied' | 'skipped' }[];
  /** Rows written to the version table, `rps: migrate v2.26.0 to v2.37.0` (none on a re-run). */
  recorded: string[];
}

/** One database provider: schema, probe and initialisation. Registries map `provider` to it. */
export interface DatabaseAdapter<Id extends string = DatabaseProviderId> {
  provider: Id;
  /**
   * The provider's registry entry (label, support level, limitations), required for a database added through
   * openAmtProvidersExtensionPoint: the same object its scaffolder renderer carries as `info`, so the portal's picker
   * and health card show the provider as itself. The built-ins take theirs from the common registry.
   */
  info?: DatabaseProviderInfo<string>;
  /**
   * The port an open-amt.io/database-endpoint without one means. Required for a database added through
   * openAmtProvidersExtensionPoint; the built-ins take it from the common registry (DATABASE_PROVIDERS).
   */
  defaultPort?: number;
  engine: DatabaseEngine;
  /** Idempotent schema of the release for the engine (PostgreSQL with its extensions; MariaDB/MSSQL translated). */
  schemaSql(names: SchemaNames): SchemaScripts;
  /** Connect + SELECT 1, version, read-only, tables present, TLS, with error codes classified. */
  probe(
    target: DatabaseTarget,
    credentials: DatabaseCredentials,
    ctx: ProbeContext,
  ): Promise<ProbeResult>;
  /**
   * Creates databases, extensions, schema and least-privileged app users; running it twice changes
   * nothing and fails nowhere. `appUsers` passwords come from the secrets store.
   */
  initialize(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
    appUsers: {
      mps: DatabaseCredentials;
      rps: DatabaseCredentials;
      /**
       * Monitoring login for the health probe: may connect to both databases and read the catalog, nothing
       * else. Engines that cannot express that yet ignore it (the probe then uses the MPS app user).
       */
      probe?: DatabaseCredentials;
    },
  ): Promise<DatabaseInitReport>;
  /**
   * Connects as the administrator (to the database initialize() starts from) and disconnects, changing nothing,
   * so a wrong login or certificate is refused before any secret is written. Throws DatabaseLoginError. Optional:
   * without it, the template's check step says the login was not checked and initialize() finds out.
   */
  checkAdminLogin?(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
  ): Promise<void>;
  /**
   * Sets a new password on existing logins (ALTER ROLE / ALTER USER / ALTER LOGIN), creating and granting nothing;
   * a login that does not exist fails, naming it, before the next one is changed. Passwords are sent hashed where the
   * engine accepts a hash. Sessions already open keep working (the engines authenticate at connect only). Optional:
   * without it, secret rotation says the database passwords cannot be rotated by the portal.
   */
  setPasswords?(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
    users: readonly DatabaseCredentials[],
  ): Promise<{ changed: string[] }>;
  /**
   * The schema version of each database: the project's version table, else detected from the tables and columns
   * present. Reads only. Optional: adopters' adapters without it report the version as not checkable.
   */
  detectSchemaVersion?(
    target: DatabaseTarget,
    credentials: DatabaseCredentials,
  ): Promise<Record<'rps' | 'mps', SchemaVersionFinding>>;
  /**
   * Migrates both databases from one supported release to a newer one, step by step, each step checked before it
   * changes anything, the version row written last; safe to re-run after a failure. Refuses downgrades, unknown
   * releases and a database that holds another release than `fromRelease`.
   */
  migrate?(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
    fromRelease: string,
    toRelease: string,
  ): Promise<SchemaMigrationReport>;
  /** The statements migrate() runs, per database, for a plan or a runbook (guarded: each one re-runnable). */
  migrationSql?(
    fromRelease: string,
    toRelease: string,
  ): { rps: string[]; mps: string[] };
}

export function databaseTargetFromSpec(
  spec: DatabaseSpec,
  defaultPort: number,
  toolkitRelease?: string,
): DatabaseTarget {
  return {
    host: spec.host,
    port: spec.port ?? defaultPort,
    tlsMode: spec.tlsMode,
    rpsDatabase: spec.rpsDatabase,
    mpsDatabase: spec.mpsDatabase,
    ...(toolkitRelease ? { toolkitRelease } : {}),
  };
}

// ---------- secret stores ----------

/**
 * How the caller authenticates to the store: the portal's own identity, never a user's. `anonymous` sends no
 * credential at all: the probe then checks only what any client may see (reachability, Vault's seal state).
 */
export type SecretStoreAuth = (
  | { kind: 'anonymous' }
  | { kind: 'vault-token'; token: string }
  | { kind: 'azure'; credential: import('@azure/identity').TokenCredential }
  | {
      kind: 'aws';
      credentials?: {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken?: string;
      };
    }
  /** A store added through openAmtProvidersExtensionPoint: its own credential, which only its adapter understands. */
  | { kind: 'custom'; credential: unknown }
) & {
  /**
   * PEM CA bundle to trust for the store's https endpoint (a private CA, or a test server's certificate).
   * Replaces the default CA store for these requests, like Node's `ca` option.
   */
  ca?: string;
};

/** One named secret: a flat map of string values (a Vault KV v2 entry, one Key Vault secret as JSON…). */
export type SecretEntries = Record<string, Record<string, string>>;

export interface SecretWriteResult {
  /** Store reference, e.g. `vault:kv/open-amt/prod/mps`; safe to log and output. */
  ref: string;
  /** false when a value already existed and rotate was off. */
  written: boolean;
  /**
   * The version the write created, where the store keeps versions (Vault KV v2's number, Key Vault's version id,
   * Secrets Manager's VersionId); the earlier versions stay readable there. Absent when nothing was written.
   */
  version?: string;
}

/** What a store adapter locates a store by: its provider id plus whatever else it needs (the built-ins: SecretsSpec). */
export interface StoreSpec {
  provider: string;
}

/** What a deployment's secrets annotations say (open-amt.io/secrets-provider, -endpoint and -mount). */
export interface SecretsAnnotations {
  provider: string;
  endpoint: string;
  mount?: string;
}

/**
 * How the portal backend authenticates to one kind of store with its own identity (never a user's), from its
 * section of openAmt.health.secretStores (`configKey`). `C` is that section read into a plain value.
 */
export interface PortalStoreIdentity<
  S extends StoreSpec = SecretsSpec,
  C = unknown,
> {
  /** The section under openAmt.health.secretStores, e.g. `vault`. */
  configKey: string;
  /** Reads the section (present in config); throws on invalid values. */
  readConfig(section: Config): C;
  /**
   * Why the portal's identity is not used for `store` (a sentence naming the config key), or undefined when `store`
   * is the one configured: an annotation or reference must not send the portal's credential elsewhere.
   * `config` is undefined when the section is absent.
   */
  refusal(store: S, config: C | undefined): string | undefined;
  /**
   * The credential source for stores that passed `refusal`, created once per backend (it may cache a login). Called
   * only when the section is present.
   */
  credentials(config: C, now: () => number): PortalStoreCredentials<S>;
}

export interface PortalStoreCredentials<S extends StoreSpec = SecretsSpec> {
  /** The portal's credential for `store`; undefined when the config section holds none. */
  authFor(store: S): Promise<SecretStoreAuth | undefined>;
}

/**
 * One secrets store: everything provider-specific the health engine and the scaffolder actions need. Registries
 * map `provider` to it; generic code looks the adapter up and never switches on the id.
 */
export interface SecretStoreAdapter<
  S extends StoreSpec = SecretsSpec,
  C = unknown,
> {
  provider: S['provider'];
  /**
   * The provider's registry entry (label, support level, limitations), required for a secrets store added through
   * openAmtProvidersExtensionPoint: the same object its scaffolder renderer carries as `info`, so the portal's picker
   * and health card show the provider as itself. The built-ins take theirs from the common registry.
   */
  info?: SecretsProviderInfo<string>;
  /** Reference string for a secret name, without touching the store. Starts with `<provider>:`. */
  refFor(spec: S, name: string): string;
  probe(
    spec: S,
    auth: SecretStoreAuth,
    ctx: ProbeContext,
  ): Promise<ProbeResult>;
  /** Writes every entry; keeps existing values unless `rotate`. */
  write(
    spec: S,
    auth: SecretStoreAuth,
    entries: SecretEntries,
    opts: { rotate: boolean },
  ): Promise<SecretWriteResult[]>;
  /** Reads one entry by name; undefined when absent. */
  read(
    spec: S,
    auth: SecretStoreAuth,
    name: string,
  ): Promise<Record<string, string> | undefined>;
  /** The spec from a deployment's secrets annotations, or one sentence why they name no usable store. */
  specFromAnnotations(annotations: SecretsAnnotations): S | string;
  /**
   * Where a reference written by refFor (the open-amt.io/credentials-ref annotation) points. `config` is the
   * portal's section for this store (what a reference leaves out, e.g. Vault's address). Throws InputError.
   */
  locate(ref: string, config: C | undefined): { spec: S; name: string };
  /** The probe's own credential for the deployment's store from its bound probe entry (Vault: `vaultToken`). */
  authFromProbeEntry?(
    entry: Record<string, string>,
  ): SecretStoreAuth | undefined;
  /** How the portal authenticates to this store with its own identity; without it, it never does. */
  portalIdentity?: PortalStoreIdentity<S, C>;
  /**
   * How a scaffolder action authenticates to this store: a task secret from the template (`${{ secrets.* }}`) first,
   * then `scaffolderConfig` (the openAmt.scaffolder section), then the platform's default identity where there is one.
   * Throws InputError, before anything is contacted, when a credential is missing. Without it the store is not
   * provisioned by the scaffolder actions.
   */
  taskAuth?(
    secrets: TaskSecrets,
    scaffolderConfig: Config | undefined,
  ): SecretStoreAuth;
}

/** A scaffolder task's secrets (`ctx.secrets`). */
export type TaskSecrets = Record<string, string | undefined> | undefined;

// ---------- gateways and services ----------

/** One gateway: how the health engine probes it. Registries map `provider` to it. */
export interface GatewayAdapter<Id extends string = GatewayProviderId> {
  provider: Id;
  /**
   * The provider's registry entry (label, support level, limitations), required for a gateway added through
   * openAmtProvidersExtensionPoint: the same object its scaffolder renderer carries as `info`, so the portal's picker
   * and health card show the provider as itself. The built-ins take theirs from the common registry.
   */
  info?: GatewayProviderInfo<string>;
  /**
   * `url` is the admin/health endpoint from the open-amt.io/gateway-url annotation; `expected` the routes the
   * deployment must have (REQUIRED_GATEWAY_ROUTES), compared with the live configuration where the product
   * exposes it (Kong admin API: drift is listed in details).
   */
  probe(
    url: string,
    expected: readonly GatewayRoute[],
    ctx: ProbeContext,
  ): Promise<ProbeResult>;
}

export type ServiceComponentId = Extract<
  ComponentId,
  'mps' | 'rps' | 'mpsrouter' | 'webui'
>;

export interface ServiceAdapter {
  component: ServiceComponentId;
  probe(url: string, ctx: ProbeContext): Promise<ProbeResult>;
}

/** MPS's CIRA endpoint (raw TLS on 4433, terminated by MPS itself). */
export interface CiraEndpointTarget {
  /** Where the portal connects (open-amt.io/cira-endpoint): the public name, or an internal address. */
  host: string;
  port: number;
  /** MPS_COMMON_NAME: sent as SNI, and the name the certificate must cover. */
  commonName: string;
}

export interface CiraEndpointAdapter {
  /** One TLS handshake: the certificate MPS presents, its name and validity; nothing is sent after it. */
  probe(target: CiraEndpointTarget, ctx: ProbeContext): Promise<ProbeResult>;
}

// ---------- what MPS and RPS hold: devices and certificates ----------

/** Counts MPS keeps of its devices (GET /api/v1/devices/stats); asked at MPS's internal address, without a token. */
export interface DevicesAdapter {
  probe(mpsUrl: string, ctx: ProbeContext): Promise<ProbeResult>;
}

/** The certificates the certificates row judges, and where each is read. */
export interface CertificatesTarget {
  /** RPS's internal address (open-amt.io/rps-url): its ACM domains carry their provisioning certificates' expiry. */
  rpsUrl?: string;
  /** Why RPS is not asked (no rps-url annotation), when rpsUrl is absent. */
  rpsUnread?: string;
  /**
   * MPS's CIRA server certificate as the CIRA probe read it in the same sweep (not probed again): its common name
   * and notAfter, or why it could not be read.
   */
  cira: { commonName: string; validTo: string } | { unread: string };
}

export interface CertificatesAdapter {
  probe(target: CertificatesTarget, ctx: ProbeContext): Promise<ProbeResult>;
}
