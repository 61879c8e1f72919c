import type { GatewayRoute } from '../gatewayRoutes';

/**
 * The shape of one toolkit release: everything that differs between releases, as data. Renderers, the
 * database adapters (schema, grants) and the health probes read a deployment's release from here; no version,
 * image or table name is written anywhere else.
 */

/** The toolkit's own services (the images a release pins). */
export type ToolkitServiceId = 'mps' | 'rps' | 'mpsrouter' | 'webui';
export const TOOLKIT_SERVICE_IDS: readonly ToolkitServiceId[] = [
  'mps',
  'rps',
  'mpsrouter',
  'webui',
];

/** Column types as PostgreSQL names them in the toolkit's scripts; MariaDB and T-SQL translate them. */
export type ColumnType =
  | 'citext'
  | { varchar: number }
  | 'text'
  | 'integer'
  | 'boolean'
  | 'timestamp'
  | 'timestamptz'
  | 'json'
  | 'uuid'
  | 'text[]'
  | 'int[]';

export interface Column {
  name: string;
  type: ColumnType;
  /** Declared NOT NULL (primary-key columns are NOT NULL whatever this says). */
  notNull?: boolean;
}

export interface ForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
}

export interface Index {
  name: string;
  columns: string[];
  unique?: boolean;
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Named UNIQUE constraints. */
  unique?: { name: string; columns: string[] }[];
  foreignKeys?: ForeignKey[];
  /** Indexes beyond the keys' own (none upstream so far). */
  indexes?: Index[];
}

/** One database of a release: what must exist in it for the service to work. */
export interface DatabaseSchema {
  /** PostgreSQL extensions, created before the tables. */
  extensions: string[];
  /** In creation order: referenced tables first. */
  tables: Table[];
  /** Sequences the service uses (grants cover them); none upstream so far (no serial columns). */
  sequences: string[];
}

/**
 * One change of a schema migration, engine-neutral: the database adapters translate it per engine and check before
 * they change (a step whose object exists is skipped), so a migration can be re-run after a failure at any step.
 */
export type SchemaMigrationStep =
  | { kind: 'addColumn'; table: string; column: Column }
  | { kind: 'createTable'; table: Table };

/** The schema changes from the previous supported release to this one, per database, in order. */
export interface SchemaMigration {
  /** The release this migration starts from: the previous supported one. */
  from: string;
  rps: readonly SchemaMigrationStep[];
  mps: readonly SchemaMigrationStep[];
}

export interface ReleaseComponent {
  /** Upstream version of the service, without the `v`. */
  version: string;
  /** Pinned image reference (`<name>:v<version>`). */
  image: string;
  /** The user the image runs as (its Dockerfile's USER): Kubernetes needs the number for runAsNonRoot. */
  user: { name: string; uid: number };
  /**
   * MPS and RPS: the folder the image runs the service from (`node <appDir>/dist/index.js`). Their factories import a
   * provider from `<appDir>/dist/<data|secrets>/<name>/index.js`, where the provider kit's bundles go.
   */
  appDir?: string;
  /**
   * Entries the service writes to the secrets store (under its secrets path) on its first start when it reads none:
   * read, generate, write, with no lock. Instances starting together on an empty store each write their own, so only
   * one may start until the entry exists.
   */
  createsOnFirstStart?: readonly string[];
}

/** Names the upstream Helm chart of the release gives its Kubernetes secrets and Kong plugins. */
export interface UpstreamKubernetesNames {
  adminJwtSecret: string;
  adminAclSecret: string;
  adminAclGroup: string;
  jwtPlugin: string;
  corsPlugin: string;
  /** Secrets holding `connectionString` per service, and the web admin login. */
  serviceSecrets: {
    mps: string;
    rps: string;
    mpsrouter: string;
    mpsweb: string;
  };
}

export interface ToolkitRelease {
  /** `v<major>.<minor>.<patch>` of the deployment repository's tag. */
  id: string;
  /** Month the release was tagged, `YYYY-MM`. */
  date: string;
  components: Record<ToolkitServiceId, ReleaseComponent>;
  /** Infrastructure images the release's compose file runs next to the services, pinned. */
  infrastructure: { postgres: string; vault: string; kong: string };
  /**
   * Every environment variable each service reads (rc keys as `MPS_<KEY>` / `RPS_<KEY>`, plus what the code reads
   * from process.env directly); a generated variable outside this list is a bug.
   */
  configKeys: Record<ToolkitServiceId, readonly string[]>;
  schema: { rps: DatabaseSchema; mps: DatabaseSchema };
  /** How a database of the previous supported release becomes this one; absent on the oldest supported release. */
  migrationFromPrevious?: SchemaMigration;
  /** The routes every gateway of the deployment must carry. */
  gatewayRoutes: readonly GatewayRoute[];
  kubernetesNames: UpstreamKubernetesNames;
}
