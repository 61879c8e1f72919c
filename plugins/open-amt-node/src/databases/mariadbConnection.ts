import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type * as mariadb from 'mariadb';
import type { DatabaseCredentials, DatabaseTarget } from '../types';

function mariadbSsl(
  target: DatabaseTarget,
): (ConnectionOptions & { rejectUnauthorized: boolean }) | undefined {
  if (target.tlsMode === 'disable') return undefined;
  // The connector hands tls.connect only a socket: without servername the certificate would be checked against
  // "localhost" (Node's fallback), not the server's name.
  const servername = isIP(target.host) ? undefined : target.host;
  if (target.tlsMode === 'require')
    return { rejectUnauthorized: false, servername };
  return { rejectUnauthorized: true, ca: target.ca, servername };
}

export function connectionConfig(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  database: string | undefined,
  timeoutMs: number,
): mariadb.ConnectionConfig {
  return {
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database,
    ssl: mariadbSsl(target),
    connectTimeout: timeoutMs,
    bigIntAsNumber: true,
  };
}
