import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';
import type { Column, ColumnType, DatabaseSchema, Table } from './model';
import { joinStatements, type EngineSchema } from './script';
import type { SchemaMigrationStep } from '@open-amt-backstage/plugin-open-amt-common';
import { migrationPath, SCHEMA_VERSION_TABLE } from './version';
import { quoteMssqlIdentifier, quoteMssqlString } from '../identifiers';
import { hasRowVersion, ROW_VERSION_COLUMN } from './rowVersion';

/**
 * SQL Server / Azure SQL translation. No citext: a case-insensitive collation on those columns, case-sensitive
 * on the other strings (PostgreSQL's text semantics). No arrays: JSON text checked with ISJSON (SQL Server
 * 2016+ / Azure SQL). Primary keys are NONCLUSTERED because several composite keys exceed the 900-byte
 * clustered-key limit (nonclustered allows 1700).
 */
export const MSSQL_CI_COLLATION = 'Latin1_General_100_CI_AS_SC';
export const MSSQL_CS_COLLATION = 'Latin1_General_100_CS_AS_SC';
const CITEXT_LENGTH = 256;

function mssqlType(type: ColumnType): string {
  if (typeof type === 'object')
    return `NVARCHAR(${type.varchar}) COLLATE ${MSSQL_CS_COLLATION}`;
  switch (type) {
    case 'citext':
      return `NVARCHAR(${CITEXT_LENGTH}) COLLATE ${MSSQL_CI_COLLATION}`;
    case 'text':
      return `NVARCHAR(MAX) COLLATE ${MSSQL_CS_COLLATION}`;
    case 'integer':
      return 'INT';
    case 'boolean':
      return 'BIT';
    case 'timestamp':
      return 'DATETIME2';
    case 'timestamptz':
      return 'DATETIMEOFFSET';
    case 'uuid':
      return 'UNIQUEIDENTIFIER';
    case 'json':
    case 'text[]':
    case 'int[]':
      return 'NVARCHAR(MAX)';
    default:
      throw new Error(`unmapped column type ${String(type)}`);
  }
}

const q = quoteMssqlIdentifier;
const list = (names: readonly string[]) => names.map(q).join(', ');
const isJsonText = (type: ColumnType) =>
  type === 'json' || type === 'text[]' || type === 'int[]';

function column(c: Column, primaryKey: readonly string[]): string {
  const notNull = c.notNull || primaryKey.includes(c.name);
  return `    ${q(c.name)} ${mssqlType(c.type)}${
    notNull ? ' NOT NULL' : ' NULL'
  }`;
}

function createTable(t: Table): string {
  const lines = t.columns.map(c => column(c, t.primaryKey));
  // The stand-in for xmin (rowVersion.ts): the engine changes it on every UPDATE of the row.
  if (hasRowVersion(t.name))
    lines.push(`    ${q(ROW_VERSION_COLUMN)} ROWVERSION NOT NULL`);
  lines.push(
    `    CONSTRAINT ${q(`PK_${t.name}`)} PRIMARY KEY NONCLUSTERED (${list(
      t.primaryKey,
    )})`,
  );
  for (const u of t.unique ?? [])
    lines.push(`    CONSTRAINT ${q(u.name)} UNIQUE (${list(u.columns)})`);
  (t.foreignKeys ?? []).forEach((fk, i) => {
    lines.push(
      `    CONSTRAINT ${q(`FK_${t.name}_${i + 1}`)} FOREIGN KEY (${list(
        fk.columns,
      )}) REFERENCES [dbo].${q(fk.references.table)} (${list(
        fk.references.columns,
      )})`,
    );
  });
  for (const c of t.columns.filter(col => isJsonText(col.type))) {
    lines.push(
      `    CONSTRAINT ${q(`CK_${t.name}_${c.name}_json`)} CHECK (ISJSON(${q(
        c.name,
      )}) = 1)`,
    );
  }
  const objectName = quoteMssqlString(`dbo.${t.name}`);
  return `IF OBJECT_ID(${objectName}, N'U') IS NULL\nCREATE TABLE [dbo].${q(
    t.name,
  )} (\n${lines.join(',\n')}\n)`;
}

function createIndexes(t: Table): string[] {
  return (t.indexes ?? []).map(
    i =>
      `IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = ${quoteMssqlString(
        i.name,
      )} AND object_id = OBJECT_ID(${quoteMssqlString(
        `dbo.${t.name}`,
      )}))\nCREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON [dbo].${q(
        t.name,
      )} (${list(i.columns)})`,
  );
}

/** Extensions are PostgreSQL's: citext becomes a collation here, so there is nothing to create. */
const statements = (schema: DatabaseSchema) =>
  schema.tables.flatMap(t => [createTable(t), ...createIndexes(t)]);

export function mssqlSchema(release: ToolkitRelease): EngineSchema {
  return {
    rps: statements(release.schema.rps),
    mps: statements(release.schema.mps),
  };
}

export function mssqlCreateDatabase(db: string): string {
  return `IF DB_ID(${quoteMssqlString(db)}) IS NULL\nCREATE DATABASE ${q(db)}`;
}

/** sqlcmd files: one batch per statement, separated by GO. */
export function mssqlScripts(
  names: {
    rpsDatabase: string;
    mpsDatabase: string;
  },
  release: ToolkitRelease,
) {
  const schema = mssqlSchema(release);
  const go = ';\nGO';
  return {
    rps: joinStatements(
      schema.rps,
      `-- Open AMT RPS schema of toolkit ${
        release.id
      } (SQL Server / Azure SQL translation). Run in database ${q(
        names.rpsDatabase,
      )}. Idempotent.`,
      go,
    ),
    mps: joinStatements(
      schema.mps,
      `-- Open AMT MPS schema of toolkit ${
        release.id
      } (SQL Server / Azure SQL translation). Run in database ${q(
        names.mpsDatabase,
      )}. Idempotent.`,
      go,
    ),
    setup: joinStatements(
      [
        mssqlCreateDatabase(names.rpsDatabase),
        mssqlCreateDatabase(names.mpsDatabase),
      ],
      '-- Open AMT databases (SQL Server / Azure SQL). Run as the admin login in master.',
      go,
    ),
  };
}

const versionObject = quoteMssqlString(`dbo.${SCHEMA_VERSION_TABLE}`);

/** The project's version table (schema/version.ts); init DENYs the app users writes on it (their GRANT is schema-wide). */
export const MSSQL_VERSION_TABLE_SQL = `IF OBJECT_ID(${versionObject}, N'U') IS NULL
CREATE TABLE [dbo].${q(SCHEMA_VERSION_TABLE)} (
    [step] NVARCHAR(128) COLLATE ${MSSQL_CS_COLLATION} NOT NULL,
    [toolkit_release] NVARCHAR(32) COLLATE ${MSSQL_CS_COLLATION} NOT NULL,
    [applied_at] DATETIMEOFFSET NOT NULL DEFAULT SYSDATETIMEOFFSET(),
    CONSTRAINT ${q(`PK_${SCHEMA_VERSION_TABLE}`)} PRIMARY KEY ([step])
)`;

/** @step, @release; a step already recorded stays as it was. */
export const MSSQL_RECORD_VERSION_SQL = `IF NOT EXISTS (SELECT 1 FROM [dbo].${q(
  SCHEMA_VERSION_TABLE,
)} WHERE [step] = @step)
INSERT INTO [dbo].${q(
  SCHEMA_VERSION_TABLE,
)} ([step], [toolkit_release]) VALUES (@step, @release)`;

/** One migration step as T-SQL batches, each guarded by a catalog check (COL_LENGTH, OBJECT_ID). */
export function mssqlStepSql(step: SchemaMigrationStep): string[] {
  switch (step.kind) {
    case 'addColumn': {
      const lines = [column(step.column, []).trim()];
      if (isJsonText(step.column.type))
        lines.push(
          `CONSTRAINT ${q(
            `CK_${step.table}_${step.column.name}_json`,
          )} CHECK (ISJSON(${q(step.column.name)}) = 1)`,
        );
      return [
        `IF COL_LENGTH(${quoteMssqlString(
          `dbo.${step.table}`,
        )}, ${quoteMssqlString(
          step.column.name,
        )}) IS NULL\nALTER TABLE [dbo].${q(step.table)} ADD ${lines.join(
          ', ',
        )}`,
      ];
    }
    case 'createTable':
      return [createTable(step.table), ...createIndexes(step.table)];
    default: {
      const never: never = step;
      throw new Error(`unknown migration step ${JSON.stringify(never)}`);
    }
  }
}

export function mssqlMigrationSql(from: string, to: string): EngineSchema {
  const hops = migrationPath(from, to);
  return {
    rps: hops.flatMap(h => h.steps.rps.flatMap(mssqlStepSql)),
    mps: hops.flatMap(h => h.steps.mps.flatMap(mssqlStepSql)),
  };
}
