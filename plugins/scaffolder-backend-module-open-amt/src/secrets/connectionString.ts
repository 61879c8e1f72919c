import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf } from '../render/providers';
import { rpsDatabaseCaFile } from '../render/env';
import { DatabaseClient, postgresTlsParams } from './databaseTls';

/**
 * The connection string MPS and RPS (node-postgres), or mps-router (`client` lib/pq), read. TLS parameters follow
 * each client's own rules (databaseTls.ts). MSSQL/MariaDB strings are what the provider kit's database providers parse.
 */
export function connectionString(
  spec: DeploymentSpec,
  database: 'mps' | 'rps',
  credentials: { user: string; password: string },
  client: DatabaseClient = 'node-postgres',
): string {
  const db = databaseRendererOf(spec).info;
  const name =
    database === 'mps' ? spec.database.mpsDatabase : spec.database.rpsDatabase;
  const host = `${spec.database.host}:${spec.database.port ?? db.defaultPort}`;
  const auth = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(
    credentials.password,
  )}`;
  const tls = spec.database.tlsMode;
  switch (db.engine) {
    case 'postgres':
      // issue 11: RPS with its own CA file (RPS_POSTGRES_SSL_*) gets no sslmode: node-postgres lets a connection
      // string's sslmode replace the TLS options RPS builds from the CA file (measured with pg 8.2x).
      if (database === 'rps' && rpsDatabaseCaFile(spec))
        return `postgresql://${auth}@${host}/${name}`;
      return `postgresql://${auth}@${host}/${name}?${postgresTlsParams(
        spec,
        client,
      )}`;
    case 'mssql':
      return `mssql://${auth}@${host}/${name}?encrypt=${
        tls !== 'disable'
      }&trustServerCertificate=${tls === 'require'}`;
    case 'mariadb':
      return `mariadb://${auth}@${host}/${name}?ssl=${
        tls !== 'disable'
      }&sslVerify=${tls === 'verify-full'}`;
    default:
      throw new Error(`no connection string format for ${db.engine}`);
  }
}

/** App user names: least-privileged, one per database. */
export function appUserName(
  spec: DeploymentSpec,
  database: 'mps' | 'rps',
): string {
  return `${spec.name.replace(/-/g, '_')}_${database}`.slice(0, 63);
}

/** The health probe's monitoring login (PostgreSQL): CONNECT on both databases, no table rights. */
export function probeUserName(spec: DeploymentSpec): string {
  return `${spec.name.replace(/-/g, '_')}_probe`.slice(0, 63);
}
