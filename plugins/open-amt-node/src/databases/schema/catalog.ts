/**
 * What a release's schema looks like in a database catalog, in one comparable text form per object, so tests can
 * read the real catalog (pg_catalog, information_schema) of a database the scripts built and compare it with the
 * release data line by line.
 */
import type { ColumnType, DatabaseSchema, Table } from './model';

/** PostgreSQL's format_type() spelling of each model type. */
export function pgFormatType(type: ColumnType): string {
  if (typeof type === 'object') return `character varying(${type.varchar})`;
  switch (type) {
    case 'citext':
    case 'text':
    case 'integer':
    case 'boolean':
    case 'json':
    case 'uuid':
    case 'text[]':
      return type;
    case 'timestamp':
      return 'timestamp without time zone';
    case 'timestamptz':
      return 'timestamp with time zone';
    case 'int[]':
      return 'integer[]';
    default: {
      const never: never = type;
      throw new Error(`unmapped column type ${String(never)}`);
    }
  }
}

const notNull = (t: Table, column: { name: string; notNull?: boolean }) =>
  Boolean(column.notNull) || t.primaryKey.includes(column.name);

/** `table.column type [NOT NULL]`, in column order. */
export function expectedColumns(schema: DatabaseSchema): string[] {
  return schema.tables.flatMap(t =>
    t.columns.map(
      c =>
        `${t.name}.${c.name} ${pgFormatType(c.type)}${
          notNull(t, c) ? ' NOT NULL' : ''
        }`,
    ),
  );
}

/** `table PRIMARY KEY (a, b)`, `table UNIQUE name (a)`, `table FOREIGN KEY (a, b) REFERENCES t (c, d)`, sorted. */
export function expectedConstraints(
  schema: DatabaseSchema,
  opts: { uniqueNames: boolean } = { uniqueNames: true },
): string[] {
  return schema.tables
    .flatMap(t => [
      `${t.name} PRIMARY KEY (${t.primaryKey.join(', ')})`,
      ...(t.unique ?? []).map(
        u =>
          `${t.name} UNIQUE${
            opts.uniqueNames ? ` ${u.name}` : ''
          } (${u.columns.join(', ')})`,
      ),
      ...(t.foreignKeys ?? []).map(
        fk =>
          `${t.name} FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${
            fk.references.table
          } (${fk.references.columns.join(', ')})`,
      ),
    ])
    .sort();
}

/** `table index (a, b)` / `table UNIQUE index (a)`, sorted: indexes beyond the constraints' own. */
export function expectedIndexes(schema: DatabaseSchema): string[] {
  return schema.tables
    .flatMap(t =>
      (t.indexes ?? []).map(
        i =>
          `${t.name} ${i.unique ? 'UNIQUE ' : ''}${i.name} (${i.columns.join(
            ', ',
          )})`,
      ),
    )
    .sort();
}

/** pg_catalog queries whose rows have the forms above (public schema only). */
export const PG_CATALOG_QUERIES = {
  columns: `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.oid, a.attnum`,
  constraints: `SELECT c.relname || ' ' ||
      CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE ' || k.conname ELSE 'FOREIGN KEY' END ||
      ' (' || (SELECT string_agg(a.attname, ', ' ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) || ')' ||
      CASE WHEN k.contype = 'f' THEN ' REFERENCES ' || f.relname || ' (' ||
        (SELECT string_agg(a.attname, ', ' ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
         JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) || ')' ELSE '' END
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class f ON f.oid = k.confrelid
    WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f') ORDER BY 1`,
  indexes: `SELECT t.relname || ' ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || i.relname || ' (' ||
      (SELECT string_agg(a.attname, ', ' ORDER BY u.i) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, i)
       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n) || ')'
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
    ORDER BY 1`,
  extensions: `SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`,
} as const;
