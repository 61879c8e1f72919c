import { readFileSync } from 'node:fs';
import type { RpsDataHost } from '../host/rpsData';

/** RPS v2.39.4 names a CA file for its database (Environment.Config.postgres_ssl_ca); earlier releases none. */
export const rpsDatabaseCa = (host: RpsDataHost) => {
  const file = host.config?.postgres_ssl_ca?.trim();
  return file ? readFileSync(file, 'utf8') : undefined;
};
