/**
 * Provisioning logic of open-amt:secrets:provision, apart from the action wiring: which entries, in which
 * order, with which generated values. Existing values are kept unless `rotate`; the probe entry is built
 * from the values that end up in the store, so it always matches them.
 */
import {
  deploymentEntityRef,
  DeploymentSpec,
  endpointKey,
  PROBE_BINDING_KEYS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf } from '../render/providers';
import { secretsEndpointAnnotation } from '../render/catalogInfo';
import {
  appUserName,
  connectionString,
  probeUserName,
} from './connectionString';
import { SecretEntryKind } from './entries';
import {
  generateDatabasePassword,
  generateJwtSecret,
  generateWebAdminPassword,
} from './generate';

/** Entries the action writes, in order (probe last: it repeats values of mpsweb and db-mps). */
export const PROVISIONED_KINDS = [
  'jwt',
  'mpsweb',
  'db-mps',
  'db-rps',
  'probe',
] as const satisfies readonly SecretEntryKind[];
export type ProvisionedKind = (typeof PROVISIONED_KINDS)[number];

export function generateEntry(
  spec: DeploymentSpec,
  kind: ProvisionedKind,
  current: Partial<Record<ProvisionedKind, Record<string, string>>>,
): Record<string, string> {
  switch (kind) {
    case 'jwt':
      return {
        key: spec.jwtIssuer,
        secret: generateJwtSecret(),
        algorithm: 'HS256',
      };
    case 'mpsweb':
      return { user: 'admin', password: generateWebAdminPassword() };
    case 'db-mps':
    case 'db-rps': {
      const db = kind === 'db-mps' ? 'mps' : 'rps';
      const credentials = {
        user: appUserName(spec, db),
        password: generateDatabasePassword(),
      };
      return {
        ...credentials,
        ...derivedDatabaseKeys(spec, db, credentials),
        [PROBE_BINDING_KEYS.databaseEndpoint]: databaseEndpointOf(spec),
      };
    }
    case 'probe': {
      const web = current.mpsweb;
      const db = current['db-mps'];
      if (!web || !db)
        throw new Error('probe credentials need mpsweb and db-mps first');
      // PostgreSQL gets a monitoring login (CONNECT on both databases only, created by open-amt:database:init);
      // the other engines' adapters cannot create one yet, so their probe uses the MPS app user.
      const binding = probeBinding(spec);
      const kept = current.probe;
      // A password is kept only for the database it was made for: re-binding it elsewhere would hand it over.
      const keepPassword =
        kept?.dbUser === probeUserName(spec) &&
        kept.dbPassword &&
        kept[PROBE_BINDING_KEYS.databaseEndpoint] ===
          binding[PROBE_BINDING_KEYS.databaseEndpoint];
      const probeDb =
        databaseRendererOf(spec).info.engine === 'postgres'
          ? {
              dbUser: probeUserName(spec),
              dbPassword: keepPassword
                ? kept.dbPassword
                : generateDatabasePassword(),
            }
          : { dbUser: db.user, dbPassword: db.password };
      return {
        mpsUser: web.user,
        mpsPassword: web.password,
        ...probeDb,
        ...binding,
      };
    }
    default:
      throw new Error(`unknown entry ${kind}`);
  }
}

/**
 * What the probe entry is bound to (see PROBE_BINDING_KEYS): the health engine uses the login only for this
 * deployment's System, this database endpoint, at least this TLS mode, and a store token only for this store.
 */
export function probeBinding(spec: DeploymentSpec): Record<string, string> {
  return {
    [PROBE_BINDING_KEYS.entityRef]: deploymentEntityRef(spec.name),
    [PROBE_BINDING_KEYS.databaseEndpoint]: databaseEndpointOf(spec),
    [PROBE_BINDING_KEYS.databaseTlsMode]: spec.database.tlsMode,
    [PROBE_BINDING_KEYS.secretsEndpoint]: secretsEndpointAnnotation(spec),
  };
}

/** `host:port` of the deployment's database: the only server its logins' passwords are ever sent to. */
export function databaseEndpointOf(spec: DeploymentSpec): string {
  return endpointKey(
    spec.database.host,
    spec.database.port ?? databaseRendererOf(spec).info.defaultPort,
  );
}

/**
 * True when a kept app login (db-mps / db-rps) was made for another database than this spec's: it then gets a new
 * password, so the old one never reaches the new server (database:init sets it there). An entry from before logins
 * were bound is judged by its connection string, which names the server (host, port, TLS) it was written for.
 */
export function databaseLoginMoved(
  spec: DeploymentSpec,
  kind: ProvisionedKind,
  entry: Record<string, string>,
): boolean {
  if (kind !== 'db-mps' && kind !== 'db-rps') return false;
  const bound = entry[PROBE_BINDING_KEYS.databaseEndpoint];
  if (bound !== undefined) return bound !== databaseEndpointOf(spec);
  if (!entry.user || !entry.password) return false;
  const side = kind === 'db-mps' ? 'mps' : 'rps';
  return (
    entry.connectionString !==
    connectionString(spec, side, { user: entry.user, password: entry.password })
  );
}

/** True when an existing probe entry is bound exactly as this spec would bind it (else it is rewritten). */
export function probeBindingMatches(
  spec: DeploymentSpec,
  entry: Record<string, string> | undefined,
): boolean {
  if (!entry) return false;
  return Object.entries(probeBinding(spec)).every(
    ([key, value]) => entry[key] === value,
  );
}

/** The keys of a database entry derived from the spec and the login (refreshed when the spec changes them). */
export function derivedDatabaseKeys(
  spec: DeploymentSpec,
  db: 'mps' | 'rps',
  credentials: { user: string; password: string },
): Record<string, string> {
  return {
    connectionString: connectionString(spec, db, credentials),
    ...(db === 'mps' && databaseRendererOf(spec).info.engine === 'postgres'
      ? {
          routerConnectionString: connectionString(
            spec,
            db,
            credentials,
            'lib/pq',
          ),
        }
      : {}),
  };
}

/**
 * A kept database entry with its derived keys as this spec implies them (TLS mode, host, a key added since), or
 * undefined when they already are. The login is never changed here.
 */
export function refreshedDerivedKeys(
  spec: DeploymentSpec,
  kind: ProvisionedKind,
  entry: Record<string, string>,
): Record<string, string> | undefined {
  if (kind !== 'db-mps' && kind !== 'db-rps') return undefined;
  if (!entry.user || !entry.password) return undefined;
  const derived = {
    ...derivedDatabaseKeys(spec, kind === 'db-mps' ? 'mps' : 'rps', {
      user: entry.user,
      password: entry.password,
    }),
    // An entry from before logins were bound (and not moved: see databaseLoginMoved) gets its binding.
    [PROBE_BINDING_KEYS.databaseEndpoint]: databaseEndpointOf(spec),
  };
  const stale = Object.entries(derived).some(
    ([key, value]) => entry[key] !== value,
  );
  return stale ? { ...entry, ...derived } : undefined;
}
