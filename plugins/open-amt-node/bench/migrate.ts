/**
 * Times migrate() v2.26.0 → newest on the local PostgreSQL (127.0.0.1:5432, trust, user postgres) with 10,000
 * devices in mpsdb and 1,000 profiles in rpsdb. Run from the repository root:
 *   node -r sucrase/register plugins/open-amt-node/bench/migrate.ts
 * Creates and drops its own databases and roles (names end with the process id).
 */
import { Client } from 'pg';
import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import { postgresqlAdapter } from '../src/databases/postgresql';

const pid = process.pid;
const admin = { user: 'postgres', password: 'unused-with-trust' };
const target = {
  host: '127.0.0.1',
  port: 5432,
  tlsMode: 'disable' as const,
  rpsDatabase: `oamt_bench_rps_${pid}`,
  mpsDatabase: `oamt_bench_mps_${pid}`,
  toolkitRelease: 'v2.26.0',
};
const appUsers = {
  rps: { user: `oamt_bench_rps_${pid}`, password: 'Bench-Rps-Pass-1x' },
  mps: { user: `oamt_bench_mps_${pid}`, password: 'Bench-Mps-Pass-1x' },
};

async function sql(database: string, text: string) {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

async function main() {
  try {
    await postgresqlAdapter.initialize(target, admin, appUsers);
    await sql(
      target.mpsDatabase,
      `INSERT INTO devices (guid, tenantid, hostname, tags, deviceinfo)
       SELECT md5(i::text)::uuid, '', 'host-' || i, ARRAY['bench'], '{}'::json FROM generate_series(1, 10000) i`,
    );
    await sql(
      target.rpsDatabase,
      `INSERT INTO profiles (profile_name, activation, generate_random_password, generate_random_mebx_password, tenant_id)
       SELECT 'profile-' || i, 'acmactivate', true, true, '' FROM generate_series(1, 1000) i`,
    );
    const started = performance.now();
    const report = await postgresqlAdapter.migrate!(
      target,
      admin,
      'v2.26.0',
      LATEST_TOOLKIT_RELEASE.id,
    );
    const ms = performance.now() - started;
    const again = performance.now();
    await postgresqlAdapter.migrate!(
      target,
      admin,
      'v2.26.0',
      LATEST_TOOLKIT_RELEASE.id,
    );
    const rerunMs = performance.now() - again;
    const counts = await Promise.all([
      sql(target.mpsDatabase, 'SELECT count(*) AS n FROM devices'),
      sql(target.rpsDatabase, 'SELECT count(*) AS n FROM profiles'),
    ]);
    console.log(
      `migrate v2.26.0 -> ${LATEST_TOOLKIT_RELEASE.id} on local PostgreSQL (${
        counts[0].rows[0].n
      } devices, ${counts[1].rows[0].n} profiles): ${ms.toFixed(0)} ms; ${
        report.steps.filter(s => s.outcome === 'applied').length
      } steps applied; re-run (all skipped): ${rerunMs.toFixed(0)} ms`,
    );
  } finally {
    for (const db of [target.rpsDatabase, target.mpsDatabase])
      await sql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    for (const u of [appUsers.rps.user, appUsers.mps.user])
      await sql('postgres', `DROP ROLE IF EXISTS "${u}"`);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
