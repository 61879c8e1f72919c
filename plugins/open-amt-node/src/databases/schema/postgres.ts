import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';
import type { Column, ColumnType, DatabaseSchema, Table } from './model';
import { joinStatements, type EngineSchema } from './script';
import type { SchemaMigrationStep } from '@open-amt-backstage/plugin-open-amt-common';
import { migrationPath, SCHEMA_VERSION_TABLE } from './version';

/** PostgreSQL keeps the toolkit's own types, so the file reads like data/init.sql. */
function pgType(type: ColumnType): string {
  if (typeof type === 'object') return `varchar(${type.varchar})`;
  switch (type) {
    case 'timestamptz':
      return 'timestamp with time zone';
    case 'json':
      return 'JSON';
    default:
      return type;
  }
}

function column(c: Column): string {
  return `  ${c.name} ${pgType(c.type)}${c.notNull ? ' NOT NULL' : ''}`;
}

function createTable(t: Table): string {
  const lines = t.columns.map(column);
  for (const fk of t.foreignKeys ?? []) {
    lines.push(
      `  FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${
        fk.references.table
      }(${fk.references.columns.join(', ')})`,
    );
  }
  for (const u of t.unique ?? []) {
    lines.push(`  CONSTRAINT ${u.name} UNIQUE (${u.columns.join(', ')})`);
  }
  lines.push(`  PRIMARY KEY (${t.primaryKey.join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${t.name}(\n${lines.join(',\n')}\n)`;
}

function createIndexes(t: Table): string[] {
  return (t.indexes ?? []).map(
    i =>
      `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${i.name} ON ${
        t.name
      } (${i.columns.join(', ')})`,
  );
}

function statements(schema: DatabaseSchema): string[] {
  return [
    ...schema.extensions.map(e => `CREATE EXTENSION IF NOT EXISTS ${e}`),
    ...schema.tables.flatMap(t => [createTable(t), ...createIndexes(t)]),
  ];
}

/** Statements to run inside rpsdb and mpsdb for a release; every one is a no-op when its object exists. */
export function postgresSchema(release: ToolkitRelease): EngineSchema {
  return {
    rps: statements(release.schema.rps),
    mps: statements(release.schema.mps),
  };
}

/**
 * psql script creating the two databases, as the toolkit does (`\gexec`: CREATE DATABASE cannot run inside
 * a DO block). Names are validated identifiers, quoted anyway.
 */
export function postgresSetupScript(names: {
  rpsDatabase: string;
  mpsDatabase: string;
}): string {
  const create = (db: string) =>
    `SELECT 'CREATE DATABASE "${db}"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${db}')\\gexec`;
  return [
    '-- Open AMT databases (PostgreSQL). Run with psql as the admin user, connected to the maintenance database:',
    '--   psql "host=<host> user=<admin> dbname=postgres sslmode=verify-full" -f setup.sql',
    create(names.rpsDatabase),
    create(names.mpsDatabase),
    '',
  ].join('\n');
}

const needs = (schema: DatabaseSchema) =>
  schema.extensions.length
    ? `, needs the ${schema.extensions.join(', ')} extension${
        schema.extensions.length > 1 ? 's' : ''
      }`
    : '';

export function postgresScripts(
  names: {
    rpsDatabase: string;
    mpsDatabase: string;
  },
  release: ToolkitRelease,
) {
  const schema = postgresSchema(release);
  return {
    rps: joinStatements(
      schema.rps,
      `-- Open AMT RPS schema of toolkit ${release.id} (PostgreSQL${needs(
        release.schema.rps,
      )}). Run in database "${names.rpsDatabase}". Idempotent.`,
      ';',
    ),
    mps: joinStatements(
      schema.mps,
      `-- Open AMT MPS schema of toolkit ${release.id} (PostgreSQL${needs(
        release.schema.mps,
      )}). Run in database "${names.mpsDatabase}". Idempotent.`,
      ';',
    ),
    setup: postgresSetupScript(names),
  };
}

/** The project's version table (schema/version.ts): written by the admin only, readable by the app users. */
export const POSTGRES_VERSION_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${SCHEMA_VERSION_TABLE}(
  step varchar(128) PRIMARY KEY,
  toolkit_release varchar(32) NOT NULL,
  applied_at timestamp with time zone NOT NULL DEFAULT now()
)`;

/** $1 = step, $2 = release; a step already recorded stays as it was. */
export const POSTGRES_RECORD_VERSION_SQL = `INSERT INTO ${SCHEMA_VERSION_TABLE} (step, toolkit_release) VALUES ($1, $2) ON CONFLICT (step) DO NOTHING`;

/** One migration step, a no-op when its object exists (upstream's own upgrade SQL uses the same guards). */
export function postgresStepSql(step: SchemaMigrationStep): string[] {
  switch (step.kind) {
    case 'addColumn':
      return [
        `ALTER TABLE ${step.table} ADD COLUMN IF NOT EXISTS ${column(
          step.column,
        ).trim()}`,
      ];
    case 'createTable':
      return [createTable(step.table), ...createIndexes(step.table)];
    default: {
      const never: never = step;
      throw new Error(`unknown migration step ${JSON.stringify(never)}`);
    }
  }
}

/** Every statement of the migrations from `from` to `to`, per database. */
export function postgresMigrationSql(from: string, to: string): EngineSchema {
  const hops = migrationPath(from, to);
  return {
    rps: hops.flatMap(h => h.steps.rps.flatMap(postgresStepSql)),
    mps: hops.flatMap(h => h.steps.mps.flatMap(postgresStepSql)),
  };
}
