import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import {
  databaseAdapters,
  DatabaseTarget,
} from '@open-amt-backstage/plugin-open-amt-node';
import { DEMO_DEPLOYMENT } from './ports';

export interface DemoDatabaseOptions {
  host?: string;
  port?: number;
  /** Superuser of the local server (trust auth here: no password). */
  adminUser?: string;
  adminPassword?: string;
  /** Database and user names (default: DEMO_DEPLOYMENT's); tests pass unique ones. */
  names?: Partial<
    Record<
      'rpsDatabase' | 'mpsDatabase' | 'rpsUser' | 'mpsUser' | 'probeUser',
      string
    >
  >;
}

export interface DemoDatabaseResult {
  target: DatabaseTarget;
  mps: { user: string; password: string };
  rps: { user: string; password: string };
  /** Monitoring login the health probe uses: CONNECT on both databases, nothing else. */
  probe: { user: string; password: string };
  /** What init changed; empty when the databases were already in place. */
  changes: string[];
}

/** Letters first: MPS/RPS turn all-digit env values into numbers (open-amt.md). */
const password = () => `Demo-${randomBytes(18).toString('base64url')}`;

/**
 * The demo deployment's databases are real: rpsdb/mpsdb stand-ins with the toolkit schema and
 * least-privileged users on the local PostgreSQL, created by the same `initialize` the scaffolder's
 * open-amt:database:init runs. Idempotent; the app users get fresh passwords each start, which are then
 * stored in the stand-in Vault for the health probe.
 */
export async function initDemoDatabases(
  options: DemoDatabaseOptions = {},
): Promise<DemoDatabaseResult> {
  const names: Record<string, string> = {
    ...DEMO_DEPLOYMENT,
    ...options.names,
  };
  const target: DatabaseTarget = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 5432,
    // The local server has no TLS; the demo is not a production deployment.
    tlsMode: 'disable',
    rpsDatabase: names.rpsDatabase,
    mpsDatabase: names.mpsDatabase,
  };
  const mps = { user: names.mpsUser, password: password() };
  const rps = { user: names.rpsUser, password: password() };
  const admin = {
    user: options.adminUser ?? 'postgres',
    password: options.adminPassword ?? '',
  };
  const report = await databaseAdapters.postgresql.initialize(target, admin, {
    mps,
    rps,
  });
  const probe = { user: names.probeUser, password: password() };
  await ensureProbeRole(target, admin, probe);
  return { target, mps, rps, probe, changes: report.changes };
}

/**
 * The probe checks both databases with one login, while each app user may only connect to its own
 * (initialize revokes CONNECT from PUBLIC): a monitoring role with CONNECT on both, as an operator
 * would create for the portal.
 */
async function ensureProbeRole(
  target: DatabaseTarget,
  admin: { user: string; password: string },
  probe: { user: string; password: string },
) {
  const client = new Client({
    host: target.host,
    port: target.port,
    user: admin.user,
    password: admin.password,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const role = escapeIdentifier(probe.user);
    const exists = await client.query(
      'SELECT 1 FROM pg_roles WHERE rolname = $1',
      [probe.user],
    );
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN`);
    await client.query(
      `ALTER ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(probe.password)}`,
    );
    for (const database of [target.rpsDatabase, target.mpsDatabase]) {
      await client.query(
        `GRANT CONNECT ON DATABASE ${escapeIdentifier(database)} TO ${role}`,
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}
