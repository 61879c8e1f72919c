import { createPool } from 'mariadb';
import type { HostConfig, MpsHost, RpsHost } from '../hostModules';
import type { HostLogger } from '../host/secrets';

/**
 * Stand-in providers that exercise what the bundle machinery must get right, independent of the real providers:
 * a CommonJS driver inside the ESM bundle (mariadb needs `require` for net/tls), the host's logger and config, and a
 * host error class thrown from inside the bundle (duplicate key → the host's RPSError / MPSValidationError).
 */
function fixture(
  connectionString: string,
  duplicate: (id: string) => Error,
  logger: HostLogger,
  config: () => HostConfig,
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
  logger.info('pool created');
  return {
    config,
    query: (sql: string, params?: unknown[]) => pool.query(sql, params),
    async insertId(table: string, id: string) {
      try {
        await pool.query(`INSERT INTO ${table} (id) VALUES (?)`, [id]);
      } catch (error) {
        if ((error as { code?: string }).code === 'ER_DUP_ENTRY') {
          throw duplicate(id);
        }
        throw error;
      }
    },
    end: () => pool.end(),
  };
}

export function createFixtureRpsData(
  connectionString: string,
  host: Pick<RpsHost, 'RPSError' | 'config' | 'logger'>,
) {
  return fixture(
    connectionString,
    id => new host.RPSError(`${id} exists`, 'DuplicateEntry'),
    host.logger,
    () => host.config,
  );
}

export function createFixtureMpsData(
  connectionString: string,
  host: Pick<MpsHost, 'MPSValidationError' | 'config' | 'logger'>,
) {
  return fixture(
    connectionString,
    id => new host.MPSValidationError(`${id} exists`, 400, 'DuplicateEntry'),
    host.logger,
    () => host.config,
  );
}
