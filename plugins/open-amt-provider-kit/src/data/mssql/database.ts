import { ConnectionPool } from 'mssql';
import { render, type Sql } from '../sql';
import type { QueryResult, SqlDatabase } from '../dialect';
import { mssqlDialect } from './dialect';
import { mssqlPoolConfig } from './connection';

/** A SQL Server / Azure SQL pool (mssql over tedious), connected on first use. */
export function mssqlDatabase(
  connectionString: string,
  opts: { ca?: string } = {},
): SqlDatabase {
  const pool = new ConnectionPool(mssqlPoolConfig(connectionString, opts));
  let connected: Promise<ConnectionPool> | undefined;
  const ready = () => {
    connected ??= pool.connect().catch(error => {
      connected = undefined; // the next call tries again (upstream retries SELECT 1 with backoff)
      throw error;
    });
    return connected;
  };
  const exec = async (
    text: string,
    values: unknown[],
  ): Promise<QueryResult> => {
    const request = (await ready()).request();
    values.forEach((value, i) => request.input(`p${i}`, value));
    const result = await request.query(text);
    const rows = (result.recordset ?? []) as Record<string, unknown>[];
    const affected = result.rowsAffected.reduce((a, b) => a + b, 0);
    return {
      rows: [...rows],
      rowCount: result.recordset ? rows.length : affected,
    };
  };
  return {
    dialect: mssqlDialect,
    run: (statement: Sql) => {
      const { text, values } = render(statement, mssqlDialect.placeholder);
      return exec(text, values);
    },
    // upstream sends parameterless text here (SELECT 1); parameters, if any, are @p0, @p1, …
    query: (text, params) => exec(text, params ?? []),
    close: () => pool.close(),
  };
}
