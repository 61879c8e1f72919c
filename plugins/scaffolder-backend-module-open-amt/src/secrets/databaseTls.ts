/**
 * What each of the three database clients does with TLS, and the connection-string parameters that make it do what
 * the form's TLS mode promises:
 * - MPS and RPS use node-postgres (pg-connection-string 2.x): `sslmode=require` (and prefer, verify-ca) is treated as
 *   verify-full; only `no-verify` encrypts without verifying; `sslrootcert=<file>` is read as the CA.
 * - mps-router uses Go's lib/pq: `require` encrypts without verifying (verify-ca once `sslrootcert` is given),
 *   `verify-full` checks chain and host name, and `no-verify` is rejected at start-up.
 * So the form's `require` (encrypted, not verified) is `no-verify` for MPS/RPS and `require` for mps-router: two
 * strings for the MPS database (`connectionString`, `routerConnectionString`).
 */
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf } from '../render/providers';

/** Where every service finds the database's CA bundle (the `database-ca` Secret / secrets/database-ca.pem, read-only). */
export const DATABASE_CA_DIR = '/etc/open-amt/database-ca';
export const DATABASE_CA_FILE = `${DATABASE_CA_DIR}/ca.pem`;

export type DatabaseClient = 'node-postgres' | 'lib/pq';

/** The CA file the services verify with, when the spec names one (spec.database.caCertSecret) for verify-full. */
export function databaseCaFile(spec: DeploymentSpec): string | undefined {
  const postgres = databaseRendererOf(spec).info.engine === 'postgres';
  return postgres &&
    spec.database.tlsMode === 'verify-full' &&
    spec.database.caCertSecret
    ? DATABASE_CA_FILE
    : undefined;
}

/** One sentence per client for the runbook: what the chosen mode makes each service do. */
export function databaseTlsSummary(spec: DeploymentSpec): string[] {
  if (databaseRendererOf(spec).info.engine !== 'postgres') return [];
  const ca = databaseCaFile(spec);
  const verified = ca
    ? `verified against the CA in \`${ca}\``
    : "verified against the image's own trust store (a private or managed-database CA needs `database.caCertSecret`)";
  const byMode = {
    disable: ['no TLS (`sslmode=disable`)', 'no TLS (`sslmode=disable`)'],
    require: [
      'encrypted, certificate not verified (`sslmode=no-verify`: node-postgres would verify under `require`)',
      'encrypted, certificate not verified (`sslmode=require`)',
    ],
    'verify-full': [
      `chain and host name ${verified} (\`sslmode=verify-full\`)`,
      `chain and host name ${verified} (\`sslmode=verify-full\`)`,
    ],
  }[spec.database.tlsMode];
  return [
    `- MPS and RPS (node-postgres): ${byMode[0]}.`,
    `- mps-router (lib/pq): ${byMode[1]}.`,
  ];
}

/** Query parameters of a PostgreSQL connection string for `client`, honouring the spec's TLS mode. */
export function postgresTlsParams(
  spec: DeploymentSpec,
  client: DatabaseClient,
): string {
  const mode = spec.database.tlsMode;
  const ca = databaseCaFile(spec);
  const rootcert = ca ? `&sslrootcert=${ca}` : '';
  switch (mode) {
    case 'disable':
      return 'sslmode=disable';
    case 'require':
      // Encrypted, certificate not verified: a CA would make lib/pq verify the chain, so none is named here.
      return client === 'node-postgres'
        ? 'sslmode=no-verify'
        : 'sslmode=require';
    case 'verify-full':
      return `sslmode=verify-full${rootcert}`;
    default: {
      const unknown: never = mode;
      throw new Error(`unknown TLS mode ${String(unknown)}`);
    }
  }
}
