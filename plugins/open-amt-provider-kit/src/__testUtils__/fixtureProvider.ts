import { createPool } from 'mariadb';
import type { RpsHost } from '../hostModules';

/**
 * A stand-in provider that exercises what the bundle machinery must get right, independent of the real providers:
 * a CommonJS driver inside the ESM bundle (mariadb needs `require` for net/tls), and a host error class thrown from
 * inside the bundle (duplicate key → the host's RPSError).
 */
export function createFixtureRpsData(
  connectionString: string,
  host: Pick<RpsHost, 'RPSError' | 'config' | 'logger'>,
) {
  const url = new URL(connectionString);
  const pool = createPool({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    connectionLimit: 1,
  });
  host.logger.info('pool created');
  return {
    config: () => host.config,
    query: (sql: string, params?: unknown[]) => pool.query(sql, params),
    async insertId(table: string, id: string) {
      try {
        await pool.query(`INSERT INTO ${table} (id) VALUES (?)`, [id]);
      } catch (error) {
        if ((error as { code?: string }).code === 'ER_DUP_ENTRY') {
          throw new host.RPSError(`${id} exists`, 'DuplicateEntry');
        }
        throw error;
      }
    },
    end: () => pool.end(),
  };
}
