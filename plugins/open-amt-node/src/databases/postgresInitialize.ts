import { escapeIdentifier, escapeLiteral, type Client } from 'pg';
import { isError } from '@backstage/errors';
import { type ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseAdapter,
  DatabaseCredentials,
  DatabaseInitReport,
  DatabaseTarget,
} from '../types';
import { validateInitInput } from './identifiers';
import { emptyInitReport, initSides } from './initModel';
import { scramSha256Verifier, scramVerifierMatches } from './passwords';
import { withPostgresClient } from './postgresConnection';
import type { Side } from './probeModel';
import { postgresSchema } from './schema/postgres';
import { releaseFor } from './schema/model';
import { POSTGRES_VERSION_TABLE_SQL } from './schema/postgres';
import {
  migrateOlderOnInit,
  SCHEMA_VERSION_TABLE,
  schemaVersionSteps,
} from './schema/version';
import {
  applyPostgresMigration,
  findPostgresVersion,
  grantVersionRead,
  recordPostgresVersion,
} from './postgresSchemaVersion';

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
const SEQUENCE_PRIVILEGES = ['USAGE', 'SELECT', 'UPDATE'] as const;

export interface PostgresInitOptions {
  /** Database the admin connects to for CREATE DATABASE / CREATE ROLE. */
  maintenanceDatabase: string;
  /** Connect timeout of each init connection; the DDL itself is not bounded. */
  connectTimeoutMs: number;
  /** Added to the error when CREATE EXTENSION citext fails (e.g. Azure's allow-list). */
  citextHint?: string;
}

/**
 * Creates both databases, the app users (and the probe's login) with least privilege, the release's
 * extensions and schema, and the grants on every table of the release. Idempotent: each step reads
 * before it writes, and the report lists only what changed.
 */
export async function initializePostgres(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  appUsers: Parameters<DatabaseAdapter['initialize']>[2],
  options: PostgresInitOptions,
): Promise<DatabaseInitReport> {
  validateInitInput(target, admin, appUsers);
  const release = releaseFor(target.toolkitRelease);
  const report = emptyInitReport();
  const sides = initSides(target, appUsers);
  await withPostgresClient(
    target,
    admin,
    options.maintenanceDatabase,
    options.connectTimeoutMs,
    async c => {
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
          await ensureDatabaseAccess(c, database, appUsers.probe.user, report);
      }
    },
  );
  for (const { side, database, user } of sides) {
    await withPostgresClient(
      target,
      admin,
      database,
      options.connectTimeoutMs,
      c =>
        ensureSchema(
          c,
          release,
          side,
          database,
          user.user,
          [user.user, ...(appUsers.probe ? [appUsers.probe.user] : [])],
          report,
          options.citextHint,
        ),
    );
  }
  return report;
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
  readers: string[],
  report: Required<DatabaseInitReport>,
  citextHint: string | undefined,
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
          if (citextHint && extension === 'citext' && isError(error))
            error.message += ` — ${citextHint}`;
          throw error;
        }
        report.changes.push(`CREATE EXTENSION ${extension} IN ${database}`);
      }
    }
    const before = new Set(await listTables(c));
    await migrateToRelease(c, release, side, database, report);
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
      const list = tables.map(t => `public.${escapeIdentifier(t)}`).join(', ');
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
    for (const reader of readers)
      if (await grantVersionRead(c, reader))
        report.changes.push(
          `GRANT SELECT ON ${SCHEMA_VERSION_TABLE} IN ${database} TO ${reader}`,
        );
    await recordInitializedVersion(c, release, side, database, report);
    await c.query('COMMIT');
  } catch (error) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The version table first; a database holding an older release (recorded or detected) is migrated to this one by
 * the release data's steps (CREATE TABLE IF NOT EXISTS alone would leave added columns out); a newer one is refused.
 */
async function migrateToRelease(
  c: Client,
  release: ToolkitRelease,
  side: Side,
  database: string,
  report: Required<DatabaseInitReport>,
) {
  await c.query(POSTGRES_VERSION_TABLE_SQL);
  const found = await findPostgresVersion(c, side, release.id);
  await migrateOlderOnInit(
    database,
    found.release,
    release.id,
    migration =>
      applyPostgresMigration(
        c,
        side,
        database,
        migration.from,
        migration.to,
        migration,
      ),
    report.changes,
  );
}

/** Records the release once its tables and columns are all there (a partial schema is left unrecorded). */
async function recordInitializedVersion(
  c: Client,
  release: ToolkitRelease,
  side: Side,
  database: string,
  report: Required<DatabaseInitReport>,
) {
  const found = await findPostgresVersion(c, side, release.id);
  if (found.source === 'table' && found.release === release.id) return;
  if (found.source === 'detected' && found.matching?.includes(release.id)) {
    const step = schemaVersionSteps.initialize(release.id);
    if (await recordPostgresVersion(c, step, release.id))
      report.changes.push(`RECORD SCHEMA VERSION ${release.id} IN ${database}`);
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
