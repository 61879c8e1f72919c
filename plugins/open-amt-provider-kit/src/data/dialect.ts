import type { Sql } from './sql';

/** What the table logic needs to know about a failed statement (upstream tests PostgreSQL codes 23505 / 23503). */
export type DbErrorKind = 'unique' | 'foreign-key' | 'other';

export interface ClassifiedDbError {
  kind: DbErrorKind;
  /** For foreign-key violations: the referencing table (parent delete) and the referenced table (child write). */
  referencing?: string;
  referenced?: string;
  /** The engine's own text, which upstream passes on for child rows (`error.detail`, rps profileWifiConfigs.ts:78@v2.39.4). */
  detail?: string;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

export interface Executor {
  run(statement: Sql): Promise<QueryResult>;
}

/**
 * The SQL that differs between engines. Case-insensitive equality on citext columns needs nothing here: the schema
 * translations give those columns a case-insensitive collation (open-amt-node databases/schema/{mariadb,mssql}.ts).
 */
export interface SqlDialect {
  readonly placeholder: (index: number) => string;
  /** Comes after ORDER BY; upstream `LIMIT $1 OFFSET $2`. */
  page(limit: number, offset: number): Sql;
  /** JSON array column holds every one of `tags` (upstream `tags @> $1`). */
  containsAll(column: string, tags: readonly string[]): Sql;
  /** JSON array column holds at least one of `tags` (upstream `tags && $1`). */
  containsAny(column: string, tags: readonly string[]): Sql;
  /** `SELECT DISTINCT <element> AS tag FROM table … WHERE <where>` over a JSON array column, case-sensitive. */
  distinctElements(table: string, column: string, where: Sql): Sql;
  /** The row version read as a number (the stand-in for xmin). */
  versionRead(column: string): Sql;
  /** `SET` item that moves the version on; null when the engine does it (rowversion). */
  versionBump(column: string): Sql | null;
  /** Column names of a table; an empty result when the table does not exist. */
  columnsOf(table: string): Sql;
  classify(error: unknown): ClassifiedDbError;
}

/** A connection pool with its dialect. */
export interface SqlDatabase extends Executor {
  readonly dialect: SqlDialect;
  /** Upstream `db.query(text, params)` callers send only parameterless text (`SELECT 1`, health checks). */
  query(text: string, params?: unknown[]): Promise<QueryResult>;
  close(): Promise<void>;
}
