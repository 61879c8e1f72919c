import { NVarChar, Transaction, type ConnectionPool } from 'mssql';
import { compareReleaseIds } from '@open-amt-backstage/plugin-open-amt-common';
import type { SchemaMigrationReport, SchemaVersionFinding } from '../types';
import { mssqlInitStatements, type MssqlStatement } from './mssqlStatements';
import { MSSQL_VERSION_TABLE_SQL, mssqlStepSql } from './schema/mssql';
import type { Side } from './schema/model';
import {
  applyToCatalog,
  catalogFromRows,
  checkStart,
  describeStep,
  detectFromCatalog,
  migrationPath,
  newestRecorded,
  schemaVersionSteps,
  stepPresent,
  type MigrationHooks,
} from './schema/version';

/*
 * Not executed: no SQL Server is available on the development machine. The statements are tested as text
 * (schema/schema.test.ts); the logic is the one PostgreSQL and MariaDB run for real (schema/version.ts).
 */

/** Something that can run a statement: the pool, or a transaction on it. */
type Runner = Pick<ConnectionPool, 'request'> | Transaction;

async function run(runner: Runner, statement: MssqlStatement) {
  const request = runner.request();
  for (const [name, value] of Object.entries(statement.params))
    request.input(name, NVarChar(4000), value);
  return request.query(statement.sql);
}

export async function findMssqlVersion(
  runner: Runner,
  side: Side,
  preferred?: string,
): Promise<SchemaVersionFinding> {
  const s = mssqlInitStatements;
  const recorded = newestRecorded(
    (await run(runner, s.recordedReleases())).recordset.map(
      (r: { release: string }) => r.release,
    ),
  );
  if (recorded) return { release: recorded, source: 'table' };
  const rows = (await run(runner, s.catalog())).recordset;
  return detectFromCatalog(side, catalogFromRows(rows), preferred);
}

export async function recordMssqlVersion(
  runner: Runner,
  step: string,
  release: string,
): Promise<boolean> {
  const r = await run(runner, mssqlInitStatements.recordVersion(step, release));
  return (r.rowsAffected?.[0] ?? 0) > 0;
}

/** One database's migration in one transaction (SQL Server runs DDL transactionally); the version row last. */
export async function applyMssqlMigration(
  pool: ConnectionPool,
  side: Side,
  database: string,
  from: string,
  to: string,
  report: SchemaMigrationReport,
  hooks: MigrationHooks = {},
) {
  const hops = migrationPath(from, to);
  const tx = new Transaction(pool);
  await tx.begin();
  try {
    await tx.request().batch(MSSQL_VERSION_TABLE_SQL);
    const found = await findMssqlVersion(tx, side, from);
    checkStart(database, found, from, to);
    if (found.source === 'detected') {
      const step = schemaVersionSteps.detected(found.release!);
      if (await recordMssqlVersion(tx, step, found.release!))
        report.recorded.push(`${side}: ${step}`);
    }
    const catalog = catalogFromRows(
      (await run(tx, mssqlInitStatements.catalog())).recordset,
    );
    for (const hop of hops) {
      for (const step of hop.steps[side]) {
        const name = describeStep(side, step);
        if (stepPresent(step, catalog)) {
          report.steps.push({ step: name, outcome: 'skipped' });
          continue;
        }
        await hooks.beforeStep?.(name);
        for (const batch of mssqlStepSql(step)) await tx.request().batch(batch);
        applyToCatalog(step, catalog);
        report.steps.push({ step: name, outcome: 'applied' });
      }
      // Grants are on schema dbo: tables a migration creates are covered already.
      if (compareReleaseIds(found.release!, hop.to) >= 0) continue;
      const row = schemaVersionSteps.migrate(hop.from, hop.to);
      if (await recordMssqlVersion(tx, row, hop.to))
        report.recorded.push(`${side}: ${row}`);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  }
}
