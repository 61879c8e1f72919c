import * as mariadb from 'mariadb';
import { compareReleaseIds } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseCredentials,
  DatabaseTarget,
  SchemaMigrationReport,
  SchemaVersionFinding,
} from '../types';
import { quoteMariadbIdentifier, validateDatabaseNames } from './identifiers';
import { connectionConfig } from './mariadbConnection';
import { closeQuietly } from './probeModel';
import {
  MARIADB_RECORD_VERSION_SQL,
  MARIADB_VERSION_TABLE_SQL,
  mariadbStepSql,
} from './schema/mariadb';
import type { Side } from './schema/model';
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

const CONNECT_TIMEOUT_MS = 15_000;

async function readCatalog(
  conn: mariadb.Connection,
  database: string,
): Promise<CatalogColumns> {
  const rows = await conn.query(
    'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?',
    [database],
  );
  return catalogFromRows(rows);
}

async function recordedReleases(
  conn: mariadb.Connection,
  database: string,
): Promise<string[]> {
  const exists = await conn.query(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [database, SCHEMA_VERSION_TABLE],
  );
  if (exists.length === 0) return [];
  const rows: { r: string }[] = await conn.query(
    `SELECT toolkit_release AS r FROM ${quoteMariadbIdentifier(
      database,
    )}.${quoteMariadbIdentifier(SCHEMA_VERSION_TABLE)}`,
  );
  return rows.map(row => row.r);
}

/** The version table's newest release, else what the tables and columns present say. */
export async function findMariadbVersion(
  conn: mariadb.Connection,
  database: string,
  side: Side,
  preferred?: string,
): Promise<SchemaVersionFinding> {
  const recorded = newestRecorded(await recordedReleases(conn, database));
  if (recorded) return { release: recorded, source: 'table' };
  return detectFromCatalog(side, await readCatalog(conn, database), preferred);
}

/** Inserts a version row in the current database (USE); returns whether it was new. */
export async function recordMariadbVersion(
  conn: mariadb.Connection,
  step: string,
  release: string,
): Promise<boolean> {
  const r = await conn.query(MARIADB_RECORD_VERSION_SQL, [step, release]);
  return Number(r.affectedRows ?? 0) > 0;
}

/**
 * One database's migration. MariaDB commits every DDL statement on its own, so there is no transaction: each step
 * is checked against the catalog before it runs (and is IF NOT EXISTS itself), and the version row is written after
 * the last one, so a failure at any step leaves the old version recorded and a re-run skips what was done.
 */
export async function applyMariadbMigration(
  conn: mariadb.Connection,
  side: Side,
  database: string,
  from: string,
  to: string,
  report: SchemaMigrationReport,
  hooks: MigrationHooks = {},
) {
  const hops = migrationPath(from, to);
  await conn.query(`USE ${quoteMariadbIdentifier(database)}`);
  await conn.query(MARIADB_VERSION_TABLE_SQL);
  const found = await findMariadbVersion(conn, database, side, from);
  checkStart(database, found, from, to);
  if (found.source === 'detected') {
    const step = schemaVersionSteps.detected(found.release!);
    if (await recordMariadbVersion(conn, step, found.release!))
      report.recorded.push(`${side}: ${step}`);
  }
  const catalog = await readCatalog(conn, database);
  for (const hop of hops) {
    for (const step of hop.steps[side]) {
      const name = describeStep(side, step);
      if (stepPresent(step, catalog)) {
        report.steps.push({ step: name, outcome: 'skipped' });
        continue;
      }
      await hooks.beforeStep?.(name);
      for (const statement of mariadbStepSql(step)) await conn.query(statement);
      applyToCatalog(step, catalog);
      report.steps.push({ step: name, outcome: 'applied' });
    }
    // Grants are per database (`db`.*): tables a migration creates are covered already.
    if (compareReleaseIds(found.release!, hop.to) >= 0) continue; // recorded before
    const row = schemaVersionSteps.migrate(hop.from, hop.to);
    if (await recordMariadbVersion(conn, row, hop.to))
      report.recorded.push(`${side}: ${row}`);
  }
}

export async function migrateMariadb(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  from: string,
  to: string,
  hooks: MigrationHooks = {},
): Promise<SchemaMigrationReport> {
  validateDatabaseNames(target);
  migrationPath(from, to);
  const report: SchemaMigrationReport = { from, to, steps: [], recorded: [] };
  if (compareReleaseIds(from, to) === 0) return report;
  const conn = await mariadb.createConnection(
    connectionConfig(target, admin, undefined, CONNECT_TIMEOUT_MS),
  );
  try {
    for (const [side, database] of [
      ['rps', target.rpsDatabase],
      ['mps', target.mpsDatabase],
    ] as const)
      await applyMariadbMigration(
        conn,
        side,
        database,
        from,
        to,
        report,
        hooks,
      );
  } finally {
    await closeQuietly(() => conn.end(), 2000);
  }
  return report;
}

/** Reads only: information_schema lists what the login may see (the app user sees its own database). */
export async function detectMariadbVersions(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
): Promise<Record<Side, SchemaVersionFinding>> {
  validateDatabaseNames(target);
  const conn = await mariadb.createConnection(
    connectionConfig(target, credentials, undefined, CONNECT_TIMEOUT_MS),
  );
  try {
    const rps = await findMariadbVersion(conn, target.rpsDatabase, 'rps');
    const mps = await findMariadbVersion(
      conn,
      target.mpsDatabase,
      'mps',
      rps.release,
    );
    return { rps, mps };
  } finally {
    await closeQuietly(() => conn.end(), 2000);
  }
}
