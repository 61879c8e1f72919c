import type { config as MssqlConfig } from 'mssql';
import { parseConnectionUrl } from '../connectionUrl';

/**
 * `mssql://u:p@h:port/db?encrypt=<bool>&trustServerCertificate=<bool>` (SQL Server and Azure SQL alike) →
 * mssql (tedious) options. encrypt without trustServerCertificate checks the certificate chain and host name.
 */
export function mssqlPoolConfig(
  connectionString: string,
  opts: { ca?: string } = {},
): MssqlConfig {
  const p = parseConnectionUrl(connectionString, 'mssql', [
    'encrypt',
    'trustServerCertificate',
  ]);
  return {
    server: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
    database: p.database,
    options: {
      encrypt: p.flags.encrypt,
      trustServerCertificate: p.flags.trustServerCertificate,
      // timestamps travel as UTC instants, as upstream's pg reads them
      useUTC: true,
      // a private CA for the certificate check (tedious passes it to tls.createSecureContext)
      ...(opts.ca ? { cryptoCredentialsDetails: { ca: opts.ca } } : {}),
    },
    pool: { max: 10, min: 0 },
  };
}
