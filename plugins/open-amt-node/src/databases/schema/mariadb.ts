import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';
import type { Column, ColumnType, DatabaseSchema, Table } from './model';
import { joinStatements, type EngineSchema } from './script';
import type { SchemaMigrationStep } from '@open-amt-backstage/plugin-open-amt-common';
import { migrationPath, SCHEMA_VERSION_TABLE } from './version';
import { quoteMariadbIdentifier } from '../identifiers';
import { hasRowVersion, ROW_VERSION_COLUMN } from './rowVersion';

/**
 * MariaDB has no citext and no arrays. Tables default to the binary (case-sensitive) collation, like
 * PostgreSQL's text; citext columns get a case-insensitive collation instead; arrays and json become JSON.
 * Timestamps are DATETIME(6): TIMESTAMP would stop in 2038, so "with time zone" columns hold UTC by convention.
 */
export const MARIADB_CI_COLLATION = 'utf8mb4_unicode_ci';
export const MARIADB_TABLE_COLLATION = 'utf8mb4_bin';

/** Length given to citext columns: long enough for every name RPS accepts, short enough for InnoDB keys. */
const CITEXT_LENGTH = 256;

function mariadbType(type: ColumnType): string {
  if (typeof type === 'object') return `VARCHAR(${type.varchar})`;
  switch (type) {
    case 'citext':
      return `VARCHAR(${CITEXT_LENGTH}) CHARACTER SET utf8mb4 COLLATE ${MARIADB_CI_COLLATION}`;
    case 'text':
      return 'LONGTEXT';
    case 'integer':
      return 'INT';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
    case 'timestamptz':
      return 'DATETIME(6)';
    case 'uuid':
      return 'CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci';
    case 'json':
    case 'text[]':
    case 'int[]':
      return 'JSON';
    default:
      throw new Error(`unmapped column type ${String(type)}`);
  }
}

const q = quoteMariadbIdentifier;
const list = (names: readonly string[]) => names.map(q).join(', ');

function column(c: Column, primaryKey: readonly string[]): string {
  const notNull = c.notNull || primaryKey.includes(c.name);
  return `  ${q(c.name)} ${mariadbType(c.type)}${
    notNull ? ' NOT NULL' : ' NULL'
  }`;
}

/** The stand-in for xmin (rowVersion.ts): the provider sets it to itself + 1 in every UPDATE. */
export const ROW_VERSION_DEFINITION = `${q(
  ROW_VERSION_COLUMN,
)} INT NOT NULL DEFAULT 1`;

function createTable(t: Table): string {
  const lines = t.columns.map(c => column(c, t.primaryKey));
  if (hasRowVersion(t.name)) lines.push(`  ${ROW_VERSION_DEFINITION}`);
  lines.push(`  PRIMARY KEY (${list(t.primaryKey)})`);
  for (const u of t.unique ?? [])
    lines.push(`  UNIQUE KEY ${q(u.name)} (${list(u.columns)})`);
  for (const fk of t.foreignKeys ?? []) {
    lines.push(
      `  FOREIGN KEY (${list(fk.columns)}) REFERENCES ${q(
        fk.references.table,
      )} (${list(fk.references.columns)})`,
    );
  }
  return `CREATE TABLE IF NOT EXISTS ${q(t.name)} (\n${lines.join(
    ',\n',
  )}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${MARIADB_TABLE_COLLATION}`;
}

function createIndexes(t: Table): string[] {
  return (t.indexes ?? []).map(
    i =>
      `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${q(
        i.name,
      )} ON ${q(t.name)} (${list(i.columns)})`,
  );
}

/** Databases created by an earlier script get the column too (the CREATE above is IF NOT EXISTS). */
const addRowVersion = (t: Table) =>
  hasRowVersion(t.name)
    ? [
        `ALTER TABLE ${q(
          t.name,
        )} ADD COLUMN IF NOT EXISTS ${ROW_VERSION_DEFINITION}`,
      ]
    : [];

/** Extensions are PostgreSQL's: citext becomes a collation here, so there is nothing to create. */
const statements = (schema: DatabaseSchema) =>
  schema.tables.flatMap(t => [
    createTable(t),
    ...addRowVersion(t),
    ...createIndexes(t),
  ]);

export function mariadbSchema(release: ToolkitRelease): EngineSchema {
  return {
    rps: statements(release.schema.rps),
    mps: statements(release.schema.mps),
  };
}

export function mariadbCreateDatabase(db: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${q(
    db,
  )} CHARACTER SET utf8mb4 COLLATE ${MARIADB_TABLE_COLLATION}`;
}

export function mariadbScripts(
  names: {
    rpsDatabase: string;
    mpsDatabase: string;
  },
  release: ToolkitRelease,
) {
  const schema = mariadbSchema(release);
  return {
    rps: joinStatements(
      schema.rps,
      `-- Open AMT RPS schema of toolkit ${
        release.id
      } (MariaDB translation). Run in database ${q(
        names.rpsDatabase,
      )}. Idempotent.`,
      ';',
    ),
    mps: joinStatements(
      schema.mps,
      `-- Open AMT MPS schema of toolkit ${
        release.id
      } (MariaDB translation). Run in database ${q(
        names.mpsDatabase,
      )}. Idempotent.`,
      ';',
    ),
    setup: joinStatements(
      [
        mariadbCreateDatabase(names.rpsDatabase),
        mariadbCreateDatabase(names.mpsDatabase),
      ],
      '-- Open AMT databases (MariaDB). Run as the admin user.',
      ';',
    ),
  };
}

/**
 * The project's version table (schema/version.ts). MariaDB grants the app users DML per database (`db`.*), which
 * covers this table too: there the admin-only write is a convention, not enforced (documented in the README).
 */
export const MARIADB_VERSION_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${q(
  SCHEMA_VERSION_TABLE,
)} (
  ${q('step')} VARCHAR(128) NOT NULL,
  ${q('toolkit_release')} VARCHAR(32) NOT NULL,
  ${q('applied_at')} DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (${q('step')})
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${MARIADB_TABLE_COLLATION}`;

/** ? = step, release; a step already recorded stays as it was. */
export const MARIADB_RECORD_VERSION_SQL = `INSERT IGNORE INTO ${q(
  SCHEMA_VERSION_TABLE,
)} (${q('step')}, ${q('toolkit_release')}) VALUES (?, ?)`;

/** One migration step; MariaDB's own IF NOT EXISTS guards make each statement re-runnable (its DDL is not transactional). */
export function mariadbStepSql(step: SchemaMigrationStep): string[] {
  switch (step.kind) {
    case 'addColumn':
      // An added column is never part of the primary key (a key change would be a new table).
      return [
        `ALTER TABLE ${q(step.table)} ADD COLUMN IF NOT EXISTS ${column(
          step.column,
          [],
        ).trim()}`,
      ];
    case 'createTable':
      return [
        createTable(step.table),
        ...addRowVersion(step.table),
        ...createIndexes(step.table),
      ];
    default: {
      const never: never = step;
      throw new Error(`unknown migration step ${JSON.stringify(never)}`);
    }
  }
}

export function mariadbMigrationSql(from: string, to: string): EngineSchema {
  const hops = migrationPath(from, to);
  return {
    rps: hops.flatMap(h => h.steps.rps.flatMap(mariadbStepSql)),
    mps: hops.flatMap(h => h.steps.mps.flatMap(mariadbStepSql)),
  };
}
