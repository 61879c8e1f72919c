import type { PoolConfig } from 'mariadb';
import { parseConnectionUrl } from '../connectionUrl';

/**
 * `mariadb://u:p@h:port/db?ssl=<bool>&sslVerify=<bool>` → pool options. ssl without sslVerify is the portal's
 * `require` (encrypted, certificate not checked); sslVerify is `verify-full` (chain and host name against the
 * system CAs, NODE_EXTRA_CA_CERTS, or `ca` when the host names a CA file).
 */
export function mariadbPoolConfig(
  connectionString: string,
  opts: { ca?: string } = {},
): PoolConfig {
  const p = parseConnectionUrl(connectionString, 'mariadb', [
    'ssl',
    'sslVerify',
  ]);
  let ssl: PoolConfig['ssl'];
  if (p.flags.sslVerify)
    ssl = { rejectUnauthorized: true, ...(opts.ca ? { ca: opts.ca } : {}) };
  else if (p.flags.ssl) ssl = { rejectUnauthorized: false };
  return {
    host: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
    database: p.database,
    ssl,
    connectionLimit: 10,
    // upstream reads timestamps as instants (pg); UTC on the wire keeps them so whatever the process zone
    timezone: 'Z',
    // UPDATE reports matched rows, as PostgreSQL does: an update that changes nothing is not a conflict
    foundRows: true,
    bigIntAsNumber: true,
    insertIdAsNumber: true,
    decimalAsNumber: true,
  };
}
