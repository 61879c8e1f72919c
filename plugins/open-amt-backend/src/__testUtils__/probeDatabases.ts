/*
 * Test-only: the RPS and MPS databases of contract deployments on the local PostgreSQL, made as
 * open-amt:database:init makes them, so a deployment's database row is healthy and its status says what the test
 * changes.
 */
import { postgresqlAdapter } from '@open-amt-backstage/plugin-open-amt-node';
import { Client } from 'pg';

export interface ProbeDatabases {
  /** The database annotations of startContractDeployment. */
  database: { rpsDatabase: string; mpsDatabase: string };
  close(): Promise<void>;
}

/** `prefix`: short and unique per test file (databases and roles are named after it and the process id). */
export async function createProbeDatabases(
  prefix: string,
): Promise<ProbeDatabases> {
  const pid = process.pid;
  const rpsDatabase = `oamt_${prefix}_rps_${pid}`;
  const mpsDatabase = `oamt_${prefix}_mps_${pid}`;
  const users = [`oamt_${prefix}_r_${pid}`, `oamt_${prefix}_m_${pid}`];
  const admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  await postgresqlAdapter.initialize(
    {
      host: '127.0.0.1',
      port: 5432,
      tlsMode: 'disable',
      rpsDatabase,
      mpsDatabase,
    },
    { user: 'postgres', password: 'unused-with-trust' },
    {
      rps: { user: users[0], password: 'Rps-Alert-Pass-1x' },
      mps: { user: users[1], password: 'Mps-Alert-Pass-1x' },
    },
  );
  return {
    database: { rpsDatabase, mpsDatabase },
    async close() {
      for (const db of [rpsDatabase, mpsDatabase])
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      for (const user of users)
        await admin.query(`DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
      await admin.end();
    },
  };
}
