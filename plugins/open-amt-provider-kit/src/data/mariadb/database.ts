import { createPool, type Pool } from 'mariadb';
import { render, type Sql } from '../sql';
import type { QueryResult, SqlDatabase } from '../dialect';
import { mariadbDialect } from './dialect';
import { mariadbPoolConfig } from './connection';

function toResult(result: unknown): QueryResult {
  if (Array.isArray(result))
    return {
      rows: [...result] as Record<string, unknown>[],
      rowCount: result.length,
    };
  const ok = result as { affectedRows?: number };
  return { rows: [], rowCount: Number(ok?.affectedRows ?? 0) };
}

/** A MariaDB pool speaking through the dialect (one pool per provider instance, as upstream's pg Pool). */
export function mariadbDatabase(
  connectionString: string,
  opts: { ca?: string } = {},
): SqlDatabase {
  const pool: Pool = createPool(mariadbPoolConfig(connectionString, opts));
  return {
    dialect: mariadbDialect,
    async run(statement: Sql) {
      const { text, values } = render(statement, mariadbDialect.placeholder);
      return toResult(await pool.query(text, values));
    },
    async query(text: string, params?: unknown[]) {
      return toResult(await pool.query(text, params ?? []));
    },
    close: () => pool.end(),
  };
}
