import { raw, sql } from '../sql';
import type { ClassifiedDbError, SqlDialect } from '../dialect';

/** https://mariadb.com/kb/en/mariadb-error-code-reference/ */
const UNIQUE = [1062]; // ER_DUP_ENTRY
const FOREIGN_KEY = [1451, 1452, 1216, 1217]; // ER_ROW_IS_REFERENCED(_2), ER_NO_REFERENCED_ROW(_2)

/** "… fails (`db`.`profiles`, CONSTRAINT `x` FOREIGN KEY (`c`) REFERENCES `ciraconfigs` (`c`))" */
const FK_TABLES = /\(`[^`]*`\.`([^`]+)`, CONSTRAINT .* REFERENCES `([^`]+)`/;

export function classifyMariadbError(error: unknown): ClassifiedDbError {
  const e = error as { errno?: number; sqlMessage?: string; message?: string };
  if (typeof e?.errno !== 'number') return { kind: 'other' };
  if (UNIQUE.includes(e.errno)) return { kind: 'unique' };
  if (FOREIGN_KEY.includes(e.errno)) {
    const detail = e.sqlMessage ?? e.message ?? '';
    const m = FK_TABLES.exec(detail);
    return {
      kind: 'foreign-key',
      referencing: m?.[1],
      referenced: m?.[2],
      detail,
    };
  }
  return { kind: 'other' };
}

/** A tag as a JSON_TABLE column: binary collation, so 'Lab' and 'lab' stay apart as in PostgreSQL's text[]. */
const TAG = 'VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';

export const mariadbDialect: SqlDialect = {
  placeholder: () => '?',
  page: (limit, offset) => sql`LIMIT ${limit} OFFSET ${offset}`,
  containsAll: (column, tags) =>
    sql`JSON_CONTAINS(${raw(column)}, ${JSON.stringify(tags)})`,
  // JSON_TABLE (10.6+) rather than JSON_OVERLAPS (10.9+): one minimum, 10.6, for every statement
  containsAny: (column, tags) =>
    sql`EXISTS (SELECT 1 FROM JSON_TABLE(${JSON.stringify(
      tags,
    )}, '$[*]' COLUMNS (tag ${raw(
      TAG,
    )} PATH '$')) AS w WHERE JSON_CONTAINS(${raw(column)}, JSON_QUOTE(w.tag)))`,
  // utf8mb4_bin: DISTINCT keeps 'Tag' and 'tag' apart, as PostgreSQL's text does
  distinctElements: (table, column, where) =>
    sql`SELECT DISTINCT j.tag AS tag FROM ${raw(table)}, JSON_TABLE(${raw(
      `${table}.${column}`,
    )}, '$[*]' COLUMNS (tag ${raw(TAG)} PATH '$')) AS j WHERE ${where}`,
  versionRead: column => raw(column),
  versionBump: column => raw(`${column} = ${column} + 1`),
  columnsOf: table =>
    sql`SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${table}`,
  classify: classifyMariadbError,
};
