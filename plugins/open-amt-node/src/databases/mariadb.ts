import { InputError } from '@backstage/errors';
import * as mariadb from 'mariadb';
import { emptyInitReport, initSides } from './initModel';
import type {
  DatabaseAdapter,
  DatabaseCredentials,
  DatabaseInitReport,
  DatabaseTarget,
  ProbeContext,
} from '../types';
import {
  mariadbGrantDatabasePattern,
  quoteMariadbIdentifier,
  validateDatabaseNames,
  validateInitInput,
  validatePasswordChanges,
} from './identifiers';
import { classifyMariadbError } from './mariadbErrors';
import { checkLogin } from './loginCheck';
import type { SocketRoute } from '../net/socketRoute';
import { mysqlNativePasswordHash } from './passwords';
import {
  closeQuietly,
  runDatabaseProbe,
  type EngineProbe,
  type Side,
  type SideObservation,
} from './probeModel';
import {
  MARIADB_VERSION_TABLE_SQL,
  mariadbCreateDatabase,
  mariadbMigrationSql,
  mariadbSchema,
  mariadbScripts,
} from './schema/mariadb';
import { migrateOlderOnInit, schemaVersionSteps } from './schema/version';
import {
  applyMariadbMigration,
  detectMariadbVersions,
  findMariadbVersion,
  migrateMariadb,
  recordMariadbVersion,
} from './mariadbSchemaVersion';
import { releaseFor } from './schema/model';
import { connectionConfig } from './mariadbConnection';

/** Host part of the app users: the services connect from container networks whose addresses vary. */
const APP_USER_HOST = '%';
const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** `@@read_only` is 0/1 on 10.x and an enum (OFF, ON, NO_LOCK, NO_LOCK_NO_ADMIN) from 11.x. */
function isReadOnly(value: unknown): boolean {
  if (typeof value === 'string')
    return !['0', 'OFF'].includes(value.toUpperCase());
  return Number(value) !== 0;
}

function mariadbEngine(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  route: SocketRoute,
): EngineProbe {
  const tlsRequested = target.tlsMode !== 'disable';
  const classify = (error: unknown) =>
    classifyMariadbError(error, {
      tlsRequested,
      password: credentials.password,
    });
  return {
    engineLabel: 'MariaDB',
    classify,
    async observe(
      side: Side,
      database: string,
      budgetMs: number,
      signal: AbortSignal,
    ): Promise<SideObservation> {
      const started = performance.now();
      let conn: mariadb.Connection | undefined;
      // createConnection gives no handle before it resolves; its own connectTimeout bounds that part.
      const onAbort = () => conn?.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        conn = await mariadb.createConnection({
          ...connectionConfig(target, credentials, database, budgetMs),
          socketTimeout: budgetMs,
          // The connector's own socket factory: it dials the checked address instead of resolving the name again.
          stream: () => route.socket().connect(target.port, target.host),
        });
        if (signal.aborted) throw signal.reason;
        const connectMs = Math.round(performance.now() - started);
        const before = performance.now();
        await conn.query('SELECT 1');
        const selectMs = Math.round((performance.now() - before) * 10) / 10;
        // Report the server's setting, not whether a write worked: SUPER/READ_ONLY ADMIN users bypass read_only.
        const [info] = await conn.query(
          `SELECT VERSION() AS version, @@global.read_only AS read_only,
             (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_VERSION') AS tls_version`,
        );
        const tables: { name: string }[] = await conn.query(
          'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
        );
        const readOnly = isReadOnly(info.read_only);
        const tlsInUse = Boolean(info.tls_version);
        return {
          side,
          database,
          connectMs,
          selectMs,
          version: info.version,
          readOnly,
          readOnlyDetail: readOnly
            ? `@@read_only = ${info.read_only}`
            : undefined,
          tablesPresent: tables.map(t => t.name),
          tls: {
            inUse: tlsInUse,
            verified: tlsInUse && target.tlsMode === 'verify-full',
            protocol: info.tls_version || undefined,
          },
        };
      } catch (error) {
        return { side, database, failure: classify(error) };
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (conn) {
          const c = conn;
          await closeQuietly(() => c.end());
          c.destroy();
        }
      }
    },
  };
}

async function tablesOf(
  conn: mariadb.Connection,
  database: string,
): Promise<Set<string>> {
  const rows: { name: string }[] = await conn.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [database],
  );
  return new Set(rows.map(r => r.name));
}

async function ensureUser(
  conn: mariadb.Connection,
  user: DatabaseCredentials,
  report: Required<DatabaseInitReport>,
) {
  const hash = mysqlNativePasswordHash(user.password);
  // A Note (warning) instead of a change means the user already existed.
  const created = await conn.query(
    'CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY PASSWORD ?',
    [user.user, APP_USER_HOST, hash],
  );
  if (Number(created.warningStatus ?? 0) === 0) {
    report.createdUsers.push(user.user);
    report.changes.push(`CREATE USER '${user.user}'@'${APP_USER_HOST}'`);
    return;
  }
  let same = false;
  try {
    const rows = await conn.query(
      'SELECT authentication_string AS h FROM mysql.user WHERE User = ? AND Host = ?',
      [user.user, APP_USER_HOST],
    );
    same = rows[0]?.h === hash;
  } catch {
    // no SELECT on mysql.user: cannot compare, so set it
  }
  if (!same) {
    await conn.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ?', [
      user.user,
      APP_USER_HOST,
      hash,
    ]);
    report.passwordsSet.push(user.user);
  }
}

async function ensureGrants(
  conn: mariadb.Connection,
  database: string,
  user: string,
  report: Required<DatabaseInitReport>,
) {
  const pattern = mariadbGrantDatabasePattern(database);
  const rows: { p: string }[] = await conn.query(
    'SELECT PRIVILEGE_TYPE AS p FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = ?',
    [`'${user}'@'${APP_USER_HOST}'`, pattern.slice(1, -1)],
  );
  const held = new Set(rows.map(r => r.p));
  if (TABLE_PRIVILEGES.every(p => held.has(p))) return;
  await conn.query(
    `GRANT ${TABLE_PRIVILEGES.join(', ')} ON ${pattern}.* TO ?@?`,
    [user, APP_USER_HOST],
  );
  report.changes.push(
    `GRANT ${TABLE_PRIVILEGES.join(
      ', ',
    )} ON ${database}.* TO '${user}'@'${APP_USER_HOST}'`,
  );
}

/**
 * The version table first; a database holding an older release (recorded or detected) is migrated to this one by
 * the release data's steps (CREATE TABLE IF NOT EXISTS alone would leave added columns out); a newer one is refused.
 */
async function migrateToRelease(
  conn: mariadb.Connection,
  release: string,
  side: Side,
  database: string,
  report: Required<DatabaseInitReport>,
) {
  await conn.query(MARIADB_VERSION_TABLE_SQL);
  const found = await findMariadbVersion(conn, database, side, release);
  await migrateOlderOnInit(
    database,
    found.release,
    release,
    migration =>
      applyMariadbMigration(
        conn,
        side,
        database,
        migration.from,
        migration.to,
        migration,
      ),
    report.changes,
  );
}

/** MariaDB: a custom-provider database (MPS/RPS need a custom IDB implementation to use it). */
export const mariadbAdapter: DatabaseAdapter = {
  provider: 'mariadb',
  engine: 'mariadb',
  schemaSql(names) {
    validateDatabaseNames(names);
    return {
      engine: 'mariadb',
      ...mariadbScripts(names, releaseFor(names.toolkitRelease)),
    };
  },
  probe(
    target: DatabaseTarget,
    credentials: DatabaseCredentials,
    ctx: ProbeContext,
  ) {
    return runDatabaseProbe(
      'MariaDB',
      route => mariadbEngine(target, credentials, route),
      target,
      credentials,
      ctx,
    );
  },
  checkAdminLogin(target, admin) {
    return checkLogin(
      async () => {
        const conn = await mariadb.createConnection(
          connectionConfig(target, admin, undefined, 15_000),
        );
        return { close: () => conn.end() };
      },
      error =>
        classifyMariadbError(error, {
          tlsRequested: target.tlsMode !== 'disable',
          password: admin.password,
        }),
    );
  },
  async setPasswords(target, admin, users) {
    validatePasswordChanges(admin, users);
    const changed: string[] = [];
    const conn = await mariadb.createConnection(
      connectionConfig(target, admin, undefined, 15_000),
    );
    try {
      for (const user of users) {
        // Sent as the mysql_native_password hash, like init: the plain value never reaches the server's logs.
        await conn
          .query('ALTER USER ?@? IDENTIFIED BY PASSWORD ?', [
            user.user,
            APP_USER_HOST,
            mysqlNativePasswordHash(user.password),
          ])
          .catch(error => {
            // ER_CANNOT_USER: ALTER USER of a user that does not exist.
            if ((error as { errno?: number }).errno === 1396)
              throw new InputError(
                `the login ${user.user} does not exist on ${target.host}:${target.port}: run open-amt:database:init first`,
              );
            throw error;
          });
        changed.push(user.user);
      }
    } finally {
      await conn.end().catch(() => {});
    }
    return { changed };
  },
  detectSchemaVersion(target, credentials) {
    return detectMariadbVersions(target, credentials);
  },
  migrate(target, admin, fromRelease, toRelease) {
    return migrateMariadb(target, admin, fromRelease, toRelease);
  },
  migrationSql(fromRelease, toRelease) {
    return mariadbMigrationSql(fromRelease, toRelease);
  },
  async initialize(target, admin, appUsers) {
    validateInitInput(target, admin, appUsers);
    const report = emptyInitReport();
    const conn = await mariadb.createConnection(
      connectionConfig(target, admin, undefined, 15_000),
    );
    try {
      // Grants are per database (`db`.*), so they cover every table of the release, also those a newer one adds.
      const release = releaseFor(target.toolkitRelease);
      const schema = mariadbSchema(release);
      const sides = initSides(target, appUsers);
      for (const { side, database } of sides) {
        const exists = await conn.query(
          'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
          [database],
        );
        if (exists.length === 0) {
          await conn.query(mariadbCreateDatabase(database));
          report.createdDatabases.push(database);
          report.changes.push(`CREATE DATABASE ${database}`);
        }
        // MariaDB DDL is not transactional; every statement is IF NOT EXISTS, so a retry completes a partial run.
        const before = await tablesOf(conn, database);
        await conn.query(`USE ${quoteMariadbIdentifier(database)}`);
        await migrateToRelease(conn, release.id, side, database, report);
        for (const statement of schema[side]) await conn.query(statement);
        for (const table of await tablesOf(conn, database)) {
          if (!before.has(table))
            report.changes.push(`CREATE TABLE ${database}.${table}`);
        }
        // Recorded once its tables and columns are all there (a partial schema is left unrecorded).
        const found = await findMariadbVersion(
          conn,
          database,
          side,
          release.id,
        );
        if (
          found.source === 'detected' &&
          found.matching?.includes(release.id) &&
          (await recordMariadbVersion(
            conn,
            schemaVersionSteps.initialize(release.id),
            release.id,
          ))
        )
          report.changes.push(
            `RECORD SCHEMA VERSION ${release.id} IN ${database}`,
          );
      }
      for (const { database, user } of sides) {
        await ensureUser(conn, user, report);
        await ensureGrants(conn, database, user.user, report);
      }
    } finally {
      await closeQuietly(() => conn.end(), 2000);
    }
    return report;
  },
};
