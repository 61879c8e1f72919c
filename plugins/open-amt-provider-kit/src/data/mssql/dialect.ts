import { raw, sql } from '../sql';
import type { ClassifiedDbError, SqlDialect } from '../dialect';

/**
 * Error numbers (https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors):
 * 2627 violation of a PRIMARY KEY / UNIQUE constraint, 2601 duplicate key in a unique index, 547 "The %ls statement
 * conflicted with the %ls constraint …" — FOREIGN KEY (child write), REFERENCE (parent delete) or CHECK.
 */
const UNIQUE = [2627, 2601];
const CONFLICT = 547;
const TABLE = /table "(?:[^".]+\.)?([^"]+)"/;

export function classifyMssqlError(error: unknown): ClassifiedDbError {
  const e = error as {
    number?: number;
    message?: string;
    originalError?: { info?: { number?: number; message?: string } };
  };
  const number = e?.number ?? e?.originalError?.info?.number;
  const message = e?.message ?? e?.originalError?.info?.message ?? '';
  if (typeof number !== 'number') return { kind: 'other' };
  if (UNIQUE.includes(number)) return { kind: 'unique' };
  if (number !== CONFLICT) return { kind: 'other' };
  const table = TABLE.exec(message)?.[1];
  if (/ REFERENCE constraint/.test(message))
    return { kind: 'foreign-key', referencing: table, detail: message };
  if (/ FOREIGN KEY constraint/.test(message))
    return { kind: 'foreign-key', referenced: table, detail: message };
  return { kind: 'other' }; // CHECK constraint
}

/** Binary collation: tags compare case-sensitively, as PostgreSQL's text[] does. */
const BIN = 'COLLATE Latin1_General_100_BIN2';

export const mssqlDialect: SqlDialect = {
  placeholder: index => `@p${index}`,
  // OFFSET … FETCH needs the ORDER BY every paged statement has
  page: (limit, offset) =>
    sql`OFFSET ${offset} ROWS FETCH NEXT ${limit} ROWS ONLY`,
  containsAll: (column, tags) =>
    sql`(${raw(
      column,
    )} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM OPENJSON(${JSON.stringify(
      tags,
    )}) AS w WHERE NOT EXISTS (SELECT 1 FROM OPENJSON(${raw(
      column,
    )}) AS t WHERE t.[value] ${raw(BIN)} = w.[value] ${raw(BIN)})))`,
  containsAny: (column, tags) =>
    sql`EXISTS (SELECT 1 FROM OPENJSON(${raw(
      column,
    )}) AS t JOIN OPENJSON(${JSON.stringify(tags)}) AS w ON t.[value] ${raw(
      BIN,
    )} = w.[value] ${raw(BIN)})`,
  distinctElements: (table, column, where) =>
    sql`SELECT DISTINCT j.[value] ${raw(BIN)} AS tag FROM ${raw(
      table,
    )} CROSS APPLY OPENJSON(${raw(`${table}.${column}`)}) AS j WHERE ${where}`,
  versionRead: column => raw(`CAST(${column} AS BIGINT)`),
  versionBump: () => null,
  columnsOf: table =>
    sql`SELECT name FROM sys.columns WHERE object_id = OBJECT_ID(${`dbo.${table}`})`,
  classify: classifyMssqlError,
};
