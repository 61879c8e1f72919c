import type { MpsDataHost } from '../../host/mpsData';
import type { RpsDataHost } from '../../host/rpsData';
import { rpsDatabaseCa } from '../caFile';
import { createMpsDb } from '../mps/mpsDb';
import { createRpsDb } from '../rps/rpsDb';
import { mssqlDatabase } from './database';

/**
 * The SQL Server / Azure SQL bundles' factories (dist/data/mssql/index.js of each service). One module per engine, so
 * a bundle carries only its own driver.
 */
export const createMpsMssql = (connectionString: string, host: MpsDataHost) =>
  createMpsDb(mssqlDatabase(connectionString), host);

export const createRpsMssql = (connectionString: string, host: RpsDataHost) =>
  createRpsDb(
    mssqlDatabase(connectionString, { ca: rpsDatabaseCa(host) }),
    host,
  );
