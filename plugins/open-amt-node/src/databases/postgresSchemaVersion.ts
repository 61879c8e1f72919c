import { escapeIdentifier, type Client } from 'pg';
import {
  compareReleaseIds,
  releaseTableNames,
  toolkitRelease,
} from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseCredentials,
  DatabaseTarget,
  SchemaMigrationReport,
  SchemaVersionFinding,
} from '../types';
import { validateDatabaseNames } from './identifiers';
import { withPostgresClient } from './postgresConnection';
import type { Side } from './schema/model';
import {
  POSTGRES_RECORD_VERSION_SQL,
  POSTGRES_VERSION_TABLE_SQL,
  postgresStepSql,
} from './schema/postgres';
import {
  applyToCatalog,
  catalogFromRows,
  checkStart,
  describeStep,
  detectFromCatalog,
  migrationPath,
  newestRecorded,
  SCHEMA_VERSION_TABLE,
  schemaVersionSteps,
  stepPresent,
  type CatalogColumns,
  type MigrationHooks,
} from './schema/version';

const TABLE_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE';

/** Tables and columns of schema public, from pg_catalog: readable by any login, unlike information_schema. */
async function readCatalog(c: Client): Promise<CatalogColumns> {
  const r = await c.query(
    `SELECT c.relname::text AS table_name, a.attname::text AS column_name
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  return catalogFromRows(r.rows);
}

async function recordedReleases(c: Client): Promise<string[] | undefined> {
  const exists = await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [
    `public.${SCHEMA_VERSION_TABLE}`,
  ]);
  if (!exists.rows[0].ok) return undefined;
  const rows = await c.query(
    `SELECT toolkit_release FROM public.${SCHEMA_VERSION_TABLE}`,
  );
  return rows.rows.map(r => r.toolkit_release);
}

/** The version table's newest release, else what the tables and columns present say. */
export async function findPostgresVersion(
  c: Client,
  side: Side,
  preferred?: string,
): Promise<SchemaVersionFinding> {
  const recorded = newestRecorded((await recordedReleases(c)) ?? []);
  if (recorded) return { release: recorded, source: 'table' };
  return detectFromCatalog(side, await readCatalog(c), preferred);
}

/** Inserts a version row; returns whether it was new. */
export async function recordPostgresVersion(
  c: Client,
  step: string,
  release: string,
): Promise<boolean> {
  const r = await c.query(POSTGRES_RECORD_VERSION_SQL, [step, release]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * Who may write the release's tables (the app user init created, or whoever an operator granted): the roles other
 * than the owner holding INSERT on a table of the release migrated from. New tables and the version table get the
 * same, so a migration needs no app user names.
 */
async function copyGrants(c: Client, from: string, to: string) {
  const roles = await c.query(
    `SELECT DISTINCT r.rolname::text AS role
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
     JOIN pg_roles r ON r.oid = a.grantee
     WHERE n.nspname = 'public' AND c.relname = ANY($1) AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner`,
    [
      [
        ...releaseTableNames(toolkitRelease(from), 'rps'),
        ...releaseTableNames(toolkitRelease(from), 'mps'),
      ],
    ],
  );
  const tables = [
    ...new Set([
      ...releaseTableNames(toolkitRelease(to), 'rps'),
      ...releaseTableNames(toolkitRelease(to), 'mps'),
    ]),
  ];
  for (const { role } of roles.rows) {
    const present = await c.query(
      `SELECT t.name FROM unnest($2::text[]) AS t(name)
       WHERE to_regclass(format('public.%I', t.name)) IS NOT NULL
         AND NOT (has_table_privilege($1, format('public.%I', t.name), 'SELECT')
              AND has_table_privilege($1, format('public.%I', t.name), 'INSERT')
              AND has_table_privilege($1, format('public.%I', t.name), 'UPDATE')
              AND has_table_privilege($1, format('public.%I', t.name), 'DELETE'))`,
      [role, tables],
    );
    for (const { name } of present.rows)
      await c.query(
        `GRANT ${TABLE_PRIVILEGES} ON TABLE public.${escapeIdentifier(
          name,
        )} TO ${escapeIdentifier(role)}`,
      );
    await grantVersionRead(c, role);
  }
}

/** App users (and the probe's login) may read the version table; only the admin writes it. */
export async function grantVersionRead(
  c: Client,
  role: string,
): Promise<boolean> {
  const has = await c.query(
    `SELECT has_table_privilege($1, $2, 'SELECT') AS ok`,
    [role, `public.${SCHEMA_VERSION_TABLE}`],
  );
  if (has.rows[0].ok) return false;
  await c.query(
    `GRANT SELECT ON TABLE public.${SCHEMA_VERSION_TABLE} TO ${escapeIdentifier(
      role,
    )}`,
  );
  return true;
}

/**
 * Runs the migration of one database inside the caller's transaction: version table, start check (recording a
 * detected start), each step checked against the catalog before it runs, grants, and the version row last.
 */
export async function applyPostgresMigration(
  c: Client,
  side: Side,
  database: string,
  from: string,
  to: string,
  report: SchemaMigrationReport,
  hooks: MigrationHooks = {},
) {
  const hops = migrationPath(from, to);
  await c.query('SET LOCAL search_path = public');
  await c.query(POSTGRES_VERSION_TABLE_SQL);
  const found = await findPostgresVersion(c, side, from);
  checkStart(database, found, from, to);
  if (found.source === 'detected') {
    const step = schemaVersionSteps.detected(found.release!);
    if (await recordPostgresVersion(c, step, found.release!))
      report.recorded.push(`${side}: ${step}`);
  }
  const catalog = await readCatalog(c);
  for (const hop of hops) {
    for (const step of hop.steps[side]) {
      const name = describeStep(side, step);
      if (stepPresent(step, catalog)) {
        report.steps.push({ step: name, outcome: 'skipped' });
        continue;
      }
      await hooks.beforeStep?.(name);
      for (const statement of postgresStepSql(step)) await c.query(statement);
      applyToCatalog(step, catalog);
      report.steps.push({ step: name, outcome: 'applied' });
    }
    await copyGrants(c, hop.from, hop.to);
    if (compareReleaseIds(found.release!, hop.to) >= 0) continue; // recorded before
    const row = schemaVersionSteps.migrate(hop.from, hop.to);
    if (await recordPostgresVersion(c, row, hop.to))
      report.recorded.push(`${side}: ${row}`);
  }
}

/** migrate() of the PostgreSQL family: one transaction per database (PostgreSQL runs DDL transactionally). */
export async function migratePostgres(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  from: string,
  to: string,
  connectTimeoutMs: number,
  hooks: MigrationHooks = {},
): Promise<SchemaMigrationReport> {
  validateDatabaseNames(target);
  migrationPath(from, to);
  const report: SchemaMigrationReport = { from, to, steps: [], recorded: [] };
  if (compareReleaseIds(from, to) === 0) return report;
  for (const [side, database] of [
    ['rps', target.rpsDatabase],
    ['mps', target.mpsDatabase],
  ] as const) {
    await withPostgresClient(
      target,
      admin,
      database,
      connectTimeoutMs,
      async c => {
        await c.query('BEGIN');
        try {
          await applyPostgresMigration(
            c,
            side,
            database,
            from,
            to,
            report,
            hooks,
          );
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
    );
  }
  return report;
}

/** detectSchemaVersion() of the PostgreSQL family: reads only (any login that may connect can run it). */
export async function detectPostgresVersions(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  connectTimeoutMs: number,
): Promise<Record<Side, SchemaVersionFinding>> {
  validateDatabaseNames(target);
  const rps = await withPostgresClient(
    target,
    credentials,
    target.rpsDatabase,
    connectTimeoutMs,
    c => findPostgresVersion(c, 'rps'),
  );
  // mpsdb is the same in several releases: the rps database's release says which of them.
  const mps = await withPostgresClient(
    target,
    credentials,
    target.mpsDatabase,
    connectTimeoutMs,
    c => findPostgresVersion(c, 'mps', rps.release),
  );
  return { rps, mps };
}
