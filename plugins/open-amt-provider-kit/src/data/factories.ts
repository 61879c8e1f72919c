import { readFileSync } from 'node:fs';
import type { MpsDataHost } from '../host/mpsData';
import type { RpsDataHost } from '../host/rpsData';
import { mariadbDatabase } from './mariadb/database';
import { mssqlDatabase } from './mssql/database';
import { createMpsDb } from './mps/mpsDb';
import { createRpsDb } from './rps/rpsDb';

/** RPS v2.39.4 names a CA file for its database (Environment.Config.postgres_ssl_ca); earlier releases none. */
const caOf = (host: RpsDataHost) => {
  const file = host.config?.postgres_ssl_ca?.trim();
  return file ? readFileSync(file, 'utf8') : undefined;
};

/** One factory per bundle (dist/data/<name>/index.js of each service); the entry passes the host modules. */
export const createMpsMariadb = (connectionString: string, host: MpsDataHost) =>
  createMpsDb(mariadbDatabase(connectionString), host);

export const createRpsMariadb = (connectionString: string, host: RpsDataHost) =>
  createRpsDb(mariadbDatabase(connectionString, { ca: caOf(host) }), host);

export const createMpsMssql = (connectionString: string, host: MpsDataHost) =>
  createMpsDb(mssqlDatabase(connectionString), host);

export const createRpsMssql = (connectionString: string, host: RpsDataHost) =>
  createRpsDb(mssqlDatabase(connectionString, { ca: caOf(host) }), host);
