/**
 * MariaDB and T-SQL have no PostgreSQL `xmin`. RPS reads `xmin` as an item's `version` and updates with
 * `... AND xmin = $n` (optimistic concurrency) on these tables — rps src/data/postgres/tables/{ciraConfigs.ts:191,
 * domains.ts:216, wirelessProfiles.ts:234, ieee8021xProfiles.ts:193, profiles.ts:321}@v2.39.4 (same at v2.22.14).
 * Our translations give them a row version column instead, which the provider kit's database providers read and
 * compare (MariaDB: an integer the provider increments in the same UPDATE; T-SQL: `rowversion`, bumped by the engine).
 */
export const ROW_VERSION_COLUMN = 'row_version';

export const ROW_VERSION_TABLES: readonly string[] = [
  'ciraconfigs',
  'domains',
  'wirelessconfigs',
  'ieee8021xconfigs',
  'profiles',
];

export const hasRowVersion = (table: string) =>
  ROW_VERSION_TABLES.includes(table);
