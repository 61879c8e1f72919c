import { joinSql, raw, sql, type Sql } from './sql';
import type { SqlDialect } from './dialect';
import { decodeRow, encode, type Field } from './columns';

/** A field read through an expression instead of a column (e.g. `COUNT(*) OVER()`). */
export interface ReadField extends Field {
  expr?: string;
}

/** `col, col, <version> AS row_version, <expr> AS alias` in field order. */
export function selectList(
  dialect: SqlDialect,
  fields: readonly ReadField[],
  prefix = '',
): Sql {
  return joinSql(
    fields.map(f => {
      if (f.expr) return raw(`${f.expr} AS ${f.column}`);
      if (f.kind === 'version')
        return sql`${dialect.versionRead(`${prefix}${f.column}`)} AS ${raw(
          f.column,
        )}`;
      return raw(`${prefix}${f.column}`);
    }),
    ', ',
  );
}

/** `(a, b) VALUES (?, ?)` for the named props of an item. */
export function insertParts(
  fields: readonly Field[],
  item: Record<string, unknown>,
): Sql {
  const columns = fields.map(f => f.column).join(', ');
  const values = joinSql(
    fields.map(f => sql`${encode(f.kind, item[f.prop])}`),
    ', ',
  );
  return sql`(${raw(columns)}) VALUES (${values})`;
}

/** `a = ?, b = ?` for the named props of an item. */
export function setList(
  fields: readonly Field[],
  item: Record<string, unknown>,
): Sql {
  return joinSql(
    fields.map(f => sql`${raw(f.column)} = ${encode(f.kind, item[f.prop])}`),
    ', ',
  );
}

export const decodeRows = (
  fields: readonly Field[],
  rows: readonly Record<string, unknown>[],
) => rows.map(row => decodeRow(fields, row));
