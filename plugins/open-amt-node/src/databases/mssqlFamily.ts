import { InputError } from '@backstage/errors';
import { ConnectionPool, NVarChar, type config as MssqlConfig } from 'mssql';
import { emptyInitReport, initSides } from './initModel';
import {
  compareReleaseIds,
  type DatabaseProviderId,
} from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseAdapter,
  DatabaseCredentials,
  DatabaseInitReport,
  DatabaseTarget,
  ProbeContext,
  SchemaMigrationReport,
} from '../types';
import {
  validateDatabaseNames,
  validateInitInput,
  validatePasswordChanges,
} from './identifiers';
import { classifyMssqlError } from './mssqlErrors';
import { checkLogin } from './loginCheck';
import type { Socket } from 'node:net';
import type { SocketRoute } from '../net/socketRoute';
import {
  MSSQL_ENGINE_EDITIONS,
  MSSQL_PROBE_SQL,
  MSSQL_TABLE_PERMISSIONS,
  mssqlInitStatements,
  type MssqlStatement,
} from './mssqlStatements';
import {
  closeQuietly,
  runDatabaseProbe,
  type EngineProbe,
  type Side,
  type SideObservation,
} from './probeModel';
import {
  MSSQL_VERSION_TABLE_SQL,
  mssqlMigrationSql,
  mssqlSchema,
  mssqlScripts,
} from './schema/mssql';
import {
  migrateOlderOnInit,
  migrationPath,
  SCHEMA_VERSION_TABLE,
  schemaVersionSteps,
} from './schema/version';
import {
  applyMssqlMigration,
  findMssqlVersion,
  recordMssqlVersion,
} from './mssqlSchemaVersion';
import { releaseFor } from './schema/model';

/*
 * No SQL Server is available on the development machine: the statements (mssqlStatements.ts,
 * schema/mssql.ts) and the error classification are unit-tested, the probe's network failure paths run
 * against real sockets, but initialize() and the probe's success path have not run against a server.
 */

export interface MssqlFamilyOptions {
  provider: DatabaseProviderId;
  label: string;
  initConnectTimeoutMs?: number;
}

/** tedious 19 calls a custom connector with ({host, port}, lookup, signal) for the server or its redirect. */
function routedConnector(route: SocketRoute) {
  return (
    options: { host: string; port: number },
    _lookup: unknown,
    signal?: AbortSignal,
  ) => route.connect(options.host, options.port, signal);
}

/** tedious: encrypt = TLS on; trustServerCertificate = skip chain/host checks (tlsMode require). */
export function mssqlConfig(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  database: string,
  timeoutMs: number,
  requestTimeoutMs?: number,
  purpose: 'probe' | 'init' = 'probe',
  route?: SocketRoute,
): MssqlConfig {
  return {
    server: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database,
    connectionTimeout: timeoutMs,
    requestTimeout: requestTimeoutMs ?? timeoutMs,
    pool: { min: 0, max: 1 },
    options: {
      encrypt: target.tlsMode !== 'disable',
      trustServerCertificate: target.tlsMode === 'require',
      ...(target.ca ? { cryptoCredentialsDetails: { ca: target.ca } } : {}),
      appName: 'open-amt-backstage',
      // tedious keeps `server` for TLS and calls the connector for every socket, redirects included.
      // (@types/mssql still declares it without arguments; tedious 19 passes the host and port it wants.)
      ...(route
        ? { connector: routedConnector(route) as () => Promise<Socket> }
        : {}),
      // tedious retries "transient" login errors (4060, 40613…) for seconds; a probe reports them at once.
      ...(purpose === 'probe' ? { maxRetriesOnTransientErrors: 0 } : {}),
    },
  };
}

async function run(pool: ConnectionPool, statement: MssqlStatement) {
  const request = pool.request();
  for (const [name, value] of Object.entries(statement.params))
    request.input(name, NVarChar(4000), value);
  return request.query(statement.sql);
}

function mssqlEngine(
  label: string,
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  route: SocketRoute,
): EngineProbe {
  const tlsRequested = target.tlsMode !== 'disable';
  const classify = (error: unknown) =>
    classifyMssqlError(error, { tlsRequested, password: credentials.password });
  return {
    engineLabel: label,
    classify,
    async observe(
      side: Side,
      database: string,
      budgetMs: number,
      signal: AbortSignal,
    ): Promise<SideObservation> {
      const pool = new ConnectionPool(
        mssqlConfig(
          target,
          credentials,
          database,
          budgetMs,
          undefined,
          'probe',
          route,
        ),
      );
      pool.on('error', () => {}); // late socket errors must not crash the backend
      const onAbort = () => void closeQuietly(() => pool.close());
      signal.addEventListener('abort', onAbort, { once: true });
      const started = performance.now();
      try {
        await pool.connect();
        const connectMs = Math.round(performance.now() - started);
        const before = performance.now();
        await pool.request().query('SELECT 1 AS one');
        const selectMs = Math.round((performance.now() - before) * 10) / 10;
        const info = (await pool.request().query(MSSQL_PROBE_SQL)).recordset[0];
        const tables = (
          await run(pool, mssqlInitStatements.listTables())
        ).recordset.map((r: { name: string }) => r.name);
        const readOnly =
          String(info.updateability).toUpperCase() === 'READ_ONLY';
        return {
          side,
          database,
          connectMs,
          selectMs,
          version: info.version,
          readOnly,
          readOnlyDetail: readOnly
            ? `DATABASEPROPERTYEX Updateability = ${info.updateability}`
            : undefined,
          tablesPresent: tables,
          // tedious fails the login when encryption was requested and cannot be negotiated.
          tls: {
            inUse: tlsRequested,
            verified: target.tlsMode === 'verify-full',
          },
          extra: {
            engineEdition:
              MSSQL_ENGINE_EDITIONS[info.engineEdition] ?? info.engineEdition,
          },
        };
      } catch (error) {
        return { side, database, failure: classify(error) };
      } finally {
        signal.removeEventListener('abort', onAbort);
        await closeQuietly(() => pool.close());
      }
    },
  };
}

/** As PostgreSQL's and MariaDB's init: a database holding an older release is migrated, a newer one refused. */
async function migrateToRelease(
  pool: ConnectionPool,
  release: string,
  side: Side,
  database: string,
  report: Required<DatabaseInitReport>,
) {
  await pool.request().batch(MSSQL_VERSION_TABLE_SQL);
  const found = await findMssqlVersion(pool, side, release);
  await migrateOlderOnInit(
    database,
    found.release,
    release,
    migration =>
      applyMssqlMigration(
        pool,
        side,
        database,
        migration.from,
        migration.to,
        migration,
      ),
    report.changes,
  );
}

/** SQL Server and Azure SQL Database: logins in master, a user per app database, DML on schema dbo. */
export function createMssqlFamilyAdapter(
  options: MssqlFamilyOptions,
): DatabaseAdapter {
  const initTimeout = options.initConnectTimeoutMs ?? 30_000;

  async function withPool<T>(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
    database: string,
    fn: (p: ConnectionPool) => Promise<T>,
  ) {
    // Azure SQL cannot switch databases with USE: every database gets its own connection.
    const pool = new ConnectionPool(
      mssqlConfig(target, admin, database, initTimeout, 0, 'init'),
    );
    pool.on('error', () => {});
    await pool.connect();
    try {
      return await fn(pool);
    } finally {
      await closeQuietly(() => pool.close(), 2000);
    }
  }

  return {
    provider: options.provider,
    engine: 'mssql',
    schemaSql(names) {
      validateDatabaseNames(names);
      return {
        engine: 'mssql',
        ...mssqlScripts(names, releaseFor(names.toolkitRelease)),
      };
    },
    probe(
      target: DatabaseTarget,
      credentials: DatabaseCredentials,
      ctx: ProbeContext,
    ) {
      return runDatabaseProbe(
        options.label,
        route => mssqlEngine(options.label, target, credentials, route),
        target,
        credentials,
        ctx,
      );
    },
    checkAdminLogin(target, admin) {
      return checkLogin(
        async () => {
          const pool = new ConnectionPool(
            mssqlConfig(target, admin, 'master', initTimeout, 0, 'init'),
          );
          pool.on('error', () => {});
          await pool.connect();
          return { close: () => pool.close() };
        },
        error =>
          classifyMssqlError(error, {
            tlsRequested: target.tlsMode !== 'disable',
            password: admin.password,
          }),
      );
    },
    async setPasswords(target, admin, users) {
      validatePasswordChanges(admin, users);
      const changed: string[] = [];
      await withPool(target, admin, 'master', async pool => {
        for (const user of users) {
          const login = (
            await run(
              pool,
              mssqlInitStatements.loginState(user.user, user.password),
            )
          ).recordset[0];
          if (!login)
            throw new InputError(
              `the login ${user.user} does not exist on ${target.host}:${target.port}: run open-amt:database:init first`,
            );
          await run(
            pool,
            mssqlInitStatements.alterLoginPassword(user.user, user.password),
          );
          changed.push(user.user);
        }
      });
      return { changed };
    },
    async detectSchemaVersion(target, credentials) {
      validateDatabaseNames(target);
      const rps = await withPool(target, credentials, target.rpsDatabase, p =>
        findMssqlVersion(p, 'rps'),
      );
      const mps = await withPool(target, credentials, target.mpsDatabase, p =>
        findMssqlVersion(p, 'mps', rps.release),
      );
      return { rps, mps };
    },
    async migrate(target, admin, fromRelease, toRelease) {
      validateDatabaseNames(target);
      migrationPath(fromRelease, toRelease);
      const report: SchemaMigrationReport = {
        from: fromRelease,
        to: toRelease,
        steps: [],
        recorded: [],
      };
      if (compareReleaseIds(fromRelease, toRelease) === 0) return report;
      for (const [side, database] of [
        ['rps', target.rpsDatabase],
        ['mps', target.mpsDatabase],
      ] as const)
        await withPool(target, admin, database, p =>
          applyMssqlMigration(
            p,
            side,
            database,
            fromRelease,
            toRelease,
            report,
          ),
        );
      return report;
    },
    migrationSql(fromRelease, toRelease) {
      return mssqlMigrationSql(fromRelease, toRelease);
    },
    async initialize(target, admin, appUsers) {
      validateInitInput(target, admin, appUsers);
      const release = releaseFor(target.toolkitRelease);
      const report = emptyInitReport();
      const sides = initSides(target, appUsers);
      const s = mssqlInitStatements;
      await withPool(target, admin, 'master', async pool => {
        for (const { database, user } of sides) {
          const exists =
            (await run(pool, s.databaseExists(database))).recordset[0]
              .present === 1;
          if (!exists) {
            await run(pool, s.createDatabase(database));
            report.createdDatabases.push(database);
            report.changes.push(`CREATE DATABASE ${database}`);
          }
          const login = (
            await run(pool, s.loginState(user.user, user.password))
          ).recordset[0];
          if (!login) {
            await run(pool, s.createLogin(user.user, user.password));
            report.createdUsers.push(user.user);
            report.changes.push(`CREATE LOGIN ${user.user}`);
          } else if (login.same !== 1) {
            await run(pool, s.alterLoginPassword(user.user, user.password));
            report.passwordsSet.push(user.user);
          }
        }
      });
      for (const { side, database, user } of sides) {
        await withPool(target, admin, database, async pool => {
          const tableNames = async () =>
            new Set(
              (await run(pool, s.listTables())).recordset.map(
                (r: { name: string }) => r.name,
              ),
            );
          const before = await tableNames();
          await migrateToRelease(pool, release.id, side, database, report);
          // Grants are on schema dbo, so they cover every table of the release, also those a newer one adds.
          for (const statement of mssqlSchema(release)[side])
            await pool.request().batch(statement);
          const found = await findMssqlVersion(pool, side, release.id);
          if (
            found.source === 'detected' &&
            found.matching?.includes(release.id) &&
            (await recordMssqlVersion(
              pool,
              schemaVersionSteps.initialize(release.id),
              release.id,
            ))
          )
            report.changes.push(
              `RECORD SCHEMA VERSION ${release.id} IN ${database}`,
            );
          for (const table of await tableNames()) {
            if (!before.has(table))
              report.changes.push(`CREATE TABLE ${database}.${table}`);
          }
          if (
            (await run(pool, s.userExists(user.user))).recordset[0].present ===
            0
          ) {
            await run(pool, s.createUser(user.user));
            report.changes.push(`CREATE USER ${user.user} IN ${database}`);
          }
          const held = new Set(
            (await run(pool, s.schemaPermissions(user.user))).recordset.map(
              (r: { permission: string }) => r.permission,
            ),
          );
          if (!MSSQL_TABLE_PERMISSIONS.every(p => held.has(p))) {
            await run(pool, s.grantSchema(user.user));
            report.changes.push(
              `GRANT ${MSSQL_TABLE_PERMISSIONS.join(
                ', ',
              )} ON SCHEMA dbo IN ${database} TO ${user.user}`,
            );
          }
          if (
            (await run(pool, s.versionWritesDenied(user.user))).recordset[0]
              .denied < 3
          ) {
            await run(pool, s.denyVersionWrites(user.user));
            report.changes.push(
              `DENY INSERT, UPDATE, DELETE ON ${SCHEMA_VERSION_TABLE} IN ${database} TO ${user.user}`,
            );
          }
        });
      }
      return report;
    },
  };
}
