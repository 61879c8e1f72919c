import { isIP } from 'net';
import { emptyInitReport, initSides } from './initModel';
import type { ConnectionOptions } from 'tls';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { DatabaseProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseAdapter,
  DatabaseCredentials,
  DatabaseInitReport,
  DatabaseTarget,
  ProbeContext,
} from '../types';
import { validateDatabaseNames, validateInitInput } from './identifiers';
import { scramSha256Verifier, scramVerifierMatches } from './passwords';
import { classifyPostgresError } from './postgresErrors';
import type { SocketRoute } from '../net/socketRoute';
import {
  closeQuietly,
  runDatabaseProbe,
  type EngineProbe,
  type Side,
  type SideObservation,
} from './probeModel';
import { postgresSchema, postgresScripts } from './schema/postgres';
import { releaseFor } from './schema/model';
import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';

export interface PostgresFamilyOptions {
  provider: DatabaseProviderId;
  label: string;
  /** Database the admin connects to for CREATE DATABASE / CREATE ROLE. */
  maintenanceDatabase?: string;
  /** Added to the error when CREATE EXTENSION citext fails (e.g. Azure's allow-list). */
  citextHint?: string;
  /** Connect timeout for initialize(); probes use ctx.timeoutMs. */
  initConnectTimeoutMs?: number;
}

/** libpq sslmode semantics: require = encrypted without verification, verify-full = chain + host name. */
export function postgresSsl(target: DatabaseTarget): false | ConnectionOptions {
  if (target.tlsMode === 'disable') return false;
  if (target.tlsMode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ca: target.ca,
    servername: isIP(target.host) ? undefined : target.host,
  };
}

function newClient(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  database: string,
  timeoutMs: number,
  purpose: 'probe' | 'init' = 'probe',
  route?: SocketRoute,
): Client {
  // Init runs DDL that may legitimately take long: only its connect is bounded.
  const queryLimits =
    purpose === 'probe'
      ? { query_timeout: timeoutMs, statement_timeout: timeoutMs }
      : {};
  const client = new Client({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database,
    ssl: postgresSsl(target),
    connectionTimeoutMillis: timeoutMs,
    ...queryLimits,
    application_name: 'open-amt-backstage',
    // pg dials stream.connect(port, host) and keeps `host` for TLS: the socket goes to the checked address only.
    ...(route ? { stream: () => route.socket() } : {}),
  });
  // Errors after connect (server restart, reset) arrive as events; without a listener they crash the process.
  client.on('error', () => {});
  return client;
}

function destroy(client: Client) {
  (
    client as unknown as { connection?: { stream?: { destroy(): void } } }
  ).connection?.stream?.destroy();
}

/** One round trip for everything the probe wants to know. */
const PROBE_SQL = `SELECT current_setting('server_version') AS version,
  pg_is_in_recovery() AS in_recovery,
  current_setting('transaction_read_only') AS tx_read_only,
  (SELECT extversion FROM pg_extension WHERE extname = 'citext') AS citext,
  ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(current_schemas(false)) AND c.relkind IN ('r', 'p')) AS tables,
  (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
  (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls_version`;

function readOnlyDetail(
  inRecovery: boolean,
  txReadOnly: boolean,
): string | undefined {
  if (inRecovery) return 'pg_is_in_recovery() = true (standby)';
  return txReadOnly ? 'transaction_read_only = on' : undefined;
}

function postgresEngine(
  label: string,
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  route: SocketRoute,
): EngineProbe {
  const tlsRequested = target.tlsMode !== 'disable';
  const classify = (error: unknown) =>
    classifyPostgresError(error, {
      tlsRequested,
      password: credentials.password,
    });
  return {
    engineLabel: label,
    classify,
    async observe(
      side: Side,
      database: string,
      budgetMs: number,
      signal: AbortSignal,
    ): Promise<SideObservation> {
      const client = newClient(target, credentials, database, budgetMs, 'probe', route);
      const kill = () => destroy(client);
      signal.addEventListener('abort', kill, { once: true });
      const started = performance.now();
      try {
        await client.connect();
        const connectMs = Math.round(performance.now() - started);
        const before = performance.now();
        await client.query('SELECT 1');
        const selectMs = Math.round((performance.now() - before) * 10) / 10;
        const row = (await client.query(PROBE_SQL)).rows[0];
        const inRecovery = row.in_recovery === true;
        const txReadOnly = row.tx_read_only === 'on';
        return {
          side,
          database,
          connectMs,
          selectMs,
          version: row.version,
          readOnly: inRecovery || txReadOnly,
          readOnlyDetail: readOnlyDetail(inRecovery, txReadOnly),
          tablesPresent: row.tables,
          citext: side === 'rps' ? row.citext ?? null : undefined,
          tls: {
            inUse: row.ssl === true,
            verified: row.ssl === true && target.tlsMode === 'verify-full',
            protocol: row.tls_version ?? undefined,
          },
          extra: { inRecovery },
        };
      } catch (error) {
        return { side, database, failure: classify(error) };
      } finally {
        signal.removeEventListener('abort', kill);
        await closeQuietly(() => client.end());
        kill();
      }
    },
  };
}

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
const SEQUENCE_PRIVILEGES = ['USAGE', 'SELECT', 'UPDATE'] as const;

/**
 * Builds the adapter for a PostgreSQL-compatible service. Self-hosted, Azure and RDS differ only in label
 * and hints: the wire protocol, catalog and privileges are the same.
 */
export function createPostgresFamilyAdapter(
  options: PostgresFamilyOptions,
): DatabaseAdapter {
  const maintenanceDatabase = options.maintenanceDatabase ?? 'postgres';
  const initTimeout = options.initConnectTimeoutMs ?? 15_000;

  async function withClient<T>(
    target: DatabaseTarget,
    admin: DatabaseCredentials,
    database: string,
    fn: (c: Client) => Promise<T>,
  ): Promise<T> {
    const client = newClient(target, admin, database, initTimeout, 'init');
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await closeQuietly(() => client.end(), 2000);
    }
  }

  async function ensureRole(
    c: Client,
    user: DatabaseCredentials,
    report: Required<DatabaseInitReport>,
  ) {
    const existing = await c.query(
      'SELECT rolcanlogin FROM pg_roles WHERE rolname = $1',
      [user.user],
    );
    const role = escapeIdentifier(user.user);
    if (existing.rowCount === 0) {
      await c.query(
        `CREATE ROLE ${role} LOGIN PASSWORD ${escapeLiteral(
          scramSha256Verifier(user.password),
        )}`,
      );
      report.createdUsers.push(user.user);
      report.changes.push(`CREATE ROLE ${user.user} LOGIN`);
      return;
    }
    if (!existing.rows[0].rolcanlogin) {
      await c.query(`ALTER ROLE ${role} LOGIN`);
      report.changes.push(`ALTER ROLE ${user.user} LOGIN`);
    }
    // Only a superuser can read pg_authid; managed services' admins cannot, so there the password is always set.
    let same = false;
    try {
      const stored = await c.query(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [user.user],
      );
      same = scramVerifierMatches(stored.rows[0]?.rolpassword, user.password);
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
    }
    if (!same) {
      await c.query(
        `ALTER ROLE ${role} PASSWORD ${escapeLiteral(
          scramSha256Verifier(user.password),
        )}`,
      );
      report.passwordsSet.push(user.user);
    }
  }

  /** Only the owning service's user may connect: PUBLIC loses CONNECT/TEMPORARY, the app user gets CONNECT. */
  async function ensureDatabaseAccess(
    c: Client,
    database: string,
    user: string,
    report: Required<DatabaseInitReport>,
  ) {
    const pub = await c.query(
      `SELECT a.privilege_type FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
       WHERE d.datname = $1 AND a.grantee = 0 AND a.privilege_type IN ('CONNECT', 'TEMPORARY')`,
      [database],
    );
    if ((pub.rowCount ?? 0) > 0) {
      await c.query(
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${escapeIdentifier(
          database,
        )} FROM PUBLIC`,
      );
      report.changes.push(
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`,
      );
    }
    const has = await c.query(
      `SELECT has_database_privilege($1, $2, 'CONNECT') AS ok`,
      [user, database],
    );
    if (!has.rows[0].ok) {
      await c.query(
        `GRANT CONNECT ON DATABASE ${escapeIdentifier(
          database,
        )} TO ${escapeIdentifier(user)}`,
      );
      report.changes.push(`GRANT CONNECT ON DATABASE ${database} TO ${user}`);
    }
  }

  async function listTables(c: Client): Promise<string[]> {
    const r = await c.query(
      `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    return r.rows.map(row => row.name);
  }

  async function ensureSchema(
    c: Client,
    release: ToolkitRelease,
    side: Side,
    database: string,
    user: string,
    report: Required<DatabaseInitReport>,
  ) {
    const schema = release.schema[side];
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL search_path = public');
      for (const extension of schema.extensions) {
        const ext = await c.query(
          'SELECT 1 FROM pg_extension WHERE extname = $1',
          [extension],
        );
        if (ext.rowCount === 0) {
          try {
            await c.query(
              `CREATE EXTENSION IF NOT EXISTS ${escapeIdentifier(extension)}`,
            );
          } catch (error) {
            if (options.citextHint && extension === 'citext')
              (error as Error).message += ` — ${options.citextHint}`;
            throw error;
          }
          report.changes.push(`CREATE EXTENSION ${extension} IN ${database}`);
        }
      }
      const before = new Set(await listTables(c));
      for (const statement of postgresSchema(release)[side])
        await c.query(statement);
      for (const table of await listTables(c)) {
        if (!before.has(table))
          report.changes.push(`CREATE TABLE ${database}.${table}`);
      }
      // PostgreSQL < 15 lets PUBLIC create objects in schema public; an app user must not.
      const pubCreate = await c.query(
        `SELECT 1 FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
         WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'`,
      );
      if ((pubCreate.rowCount ?? 0) > 0) {
        await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
        report.changes.push(
          `REVOKE CREATE ON SCHEMA public FROM PUBLIC IN ${database}`,
        );
      }
      const usage = await c.query(
        `SELECT has_schema_privilege($1, 'public', 'USAGE') AS ok`,
        [user],
      );
      if (!usage.rows[0].ok) {
        await c.query(
          `GRANT USAGE ON SCHEMA public TO ${escapeIdentifier(user)}`,
        );
        report.changes.push(
          `GRANT USAGE ON SCHEMA public IN ${database} TO ${user}`,
        );
      }
      // Every table of the release, never a list written by hand: re-running init for a newer release grants its new tables.
      const tables = schema.tables.map(t => t.name);
      const checks = TABLE_PRIVILEGES.map(
        p => `has_table_privilege($1, format('public.%I', t.name), '${p}')`,
      ).join(' AND ');
      const lacking = await c.query(
        `SELECT t.name FROM unnest($2::text[]) AS t(name) WHERE NOT (${checks})`,
        [user, tables],
      );
      if ((lacking.rowCount ?? 0) > 0) {
        const list = tables
          .map(t => `public.${escapeIdentifier(t)}`)
          .join(', ');
        await c.query(
          `GRANT ${TABLE_PRIVILEGES.join(
            ', ',
          )} ON TABLE ${list} TO ${escapeIdentifier(user)}`,
        );
        report.changes.push(
          `GRANT ${TABLE_PRIVILEGES.join(', ')} ON ${
            tables.length
          } tables IN ${database} TO ${user}`,
        );
      }
      await ensureSequenceGrants(c, schema.sequences, database, user, report);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Sequences the release's services use (none upstream so far): USAGE, SELECT and UPDATE for nextval/setval. */
  async function ensureSequenceGrants(
    c: Client,
    sequences: readonly string[],
    database: string,
    user: string,
    report: Required<DatabaseInitReport>,
  ) {
    if (sequences.length === 0) return;
    const lacking = await c.query(
      `SELECT s.name FROM unnest($2::text[]) AS s(name)
       WHERE NOT (${SEQUENCE_PRIVILEGES.map(
         p => `has_sequence_privilege($1, format('public.%I', s.name), '${p}')`,
       ).join(' AND ')})`,
      [user, sequences],
    );
    if ((lacking.rowCount ?? 0) === 0) return;
    await c.query(
      `GRANT ${SEQUENCE_PRIVILEGES.join(', ')} ON SEQUENCE ${sequences
        .map(name => `public.${escapeIdentifier(name)}`)
        .join(', ')} TO ${escapeIdentifier(user)}`,
    );
    report.changes.push(
      `GRANT ${SEQUENCE_PRIVILEGES.join(', ')} ON ${
        sequences.length
      } sequences IN ${database} TO ${user}`,
    );
  }

  return {
    provider: options.provider,
    engine: 'postgres',
    schemaSql(names) {
      validateDatabaseNames(names);
      return {
        engine: 'postgres',
        ...postgresScripts(names, releaseFor(names.toolkitRelease)),
      };
    },
    probe(
      target: DatabaseTarget,
      credentials: DatabaseCredentials,
      ctx: ProbeContext,
    ) {
      return runDatabaseProbe(
        options.label,
        route => postgresEngine(options.label, target, credentials, route),
        target,
        credentials,
        ctx,
      );
    },
    async initialize(target, admin, appUsers) {
      validateInitInput(target, admin, appUsers);
      const release = releaseFor(target.toolkitRelease);
      const report = emptyInitReport();
      const sides = initSides(target, appUsers);
      await withClient(target, admin, maintenanceDatabase, async c => {
        for (const { database } of sides) {
          const exists = await c.query(
            'SELECT 1 FROM pg_database WHERE datname = $1',
            [database],
          );
          if (exists.rowCount === 0) {
            try {
              await c.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
              report.createdDatabases.push(database);
              report.changes.push(`CREATE DATABASE ${database}`);
            } catch (error) {
              if ((error as { code?: string }).code !== '42P04') throw error; // created concurrently: fine
            }
          }
        }
        for (const { user } of sides) await ensureRole(c, user, report);
        for (const { database, user } of sides)
          await ensureDatabaseAccess(c, database, user.user, report);
        // The health probe's login: CONNECT on both databases and nothing else; it reads pg_catalog only.
        if (appUsers.probe) {
          await ensureRole(c, appUsers.probe, report);
          for (const { database } of sides)
            await ensureDatabaseAccess(
              c,
              database,
              appUsers.probe.user,
              report,
            );
        }
      });
      for (const { side, database, user } of sides) {
        await withClient(target, admin, database, c =>
          ensureSchema(c, release, side, database, user.user, report),
        );
      }
      return report;
    },
  };
}
