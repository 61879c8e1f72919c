/**
 * How a value travels between the objects upstream's routes use and our columns. PostgreSQL's driver (pg) returns
 * booleans, arrays (text[]), parsed json, Dates for timestamps and xmin as a string; MariaDB and T-SQL store arrays
 * and json as JSON text and MariaDB booleans as TINYINT, so each value is encoded and decoded by its kind.
 */
export type ColumnKind =
  | 'text'
  | 'uuid'
  | 'int'
  | 'bool'
  | 'json'
  | 'array'
  | 'date'
  | 'version'
  | 'count';

/** A property of the upstream object and the column that holds it. */
export interface Field {
  prop: string;
  column: string;
  kind: ColumnKind;
  /** Only in some releases' schema (e.g. profiles.uefi_wifi_sync_enabled since RPS v2.39.4): used when present. */
  optional?: boolean;
}

export function encode(kind: ColumnKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'json':
    case 'array':
      return JSON.stringify(value);
    case 'date':
      return value instanceof Date ? value : new Date(String(value));
    case 'text':
    case 'uuid':
    case 'int':
    case 'bool':
    case 'version':
    case 'count':
      return value;
    default: {
      const never: never = kind;
      throw new Error(`unknown column kind ${String(never)}`);
    }
  }
}

const parsed = (value: unknown) =>
  typeof value === 'string' ? JSON.parse(value) : value;

export function decode(kind: ColumnKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'json':
    case 'array':
      return parsed(value);
    case 'int':
      return Number(value);
    case 'version':
    case 'count':
      // pg returns xmin (xid) and count(*) (bigint) as strings
      return String(value);
    case 'date':
      return value instanceof Date ? value : new Date(String(value));
    case 'uuid':
      // pg prints uuids in lower case; SQL Server's uniqueidentifier comes back upper-case
      return String(value).toLowerCase();
    case 'text':
      return value;
    default: {
      const never: never = kind;
      throw new Error(`unknown column kind ${String(never)}`);
    }
  }
}

/** One row of columns → the upstream object (properties in field order). */
export function decodeRow(
  fields: readonly Field[],
  row: Record<string, unknown>,
): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const f of fields) item[f.prop] = decode(f.kind, row[f.column]);
  return item;
}
