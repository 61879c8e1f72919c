import type { MpsDataHost } from '../../host/mpsData';
import type { RpsDataHost } from '../../host/rpsData';
import { rpsDatabaseCa } from '../caFile';
import { createMpsDb } from '../mps/mpsDb';
import { createRpsDb } from '../rps/rpsDb';
import { mariadbDatabase } from './database';

/**
 * The MariaDB bundles' factories (dist/data/mariadb/index.js of each service). One module per engine, so a bundle
 * carries only its own driver.
 */
export const createMpsMariadb = (connectionString: string, host: MpsDataHost) =>
  createMpsDb(mariadbDatabase(connectionString), host);

export const createRpsMariadb = (connectionString: string, host: RpsDataHost) =>
  createRpsDb(
    mariadbDatabase(connectionString, { ca: rpsDatabaseCa(host) }),
    host,
  );
