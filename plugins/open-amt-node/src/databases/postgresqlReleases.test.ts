/**
 * init follows the deployment's release (real local PostgreSQL): a v2.26.0 deployment gets v2.26.0's tables;
 * re-running init for v2.37.0 on it creates and grants what v2.37.0 adds; tables someone else created are granted too.
 */
import { Client } from 'pg';
import {
  releaseTableNames,
  TOOLKIT_V2_26_0,
  TOOLKIT_V2_37_0,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseTarget } from '../types';
import { postgresqlAdapter } from './postgresql';
import { SCHEMA_VERSION_TABLE } from './schema/version';

jest.setTimeout(60_000);

const pid = process.pid;
const admin = { user: 'postgres', password: 'unused-with-trust' };
const target = (release: string, suffix = 'up'): DatabaseTarget => ({
  host: '127.0.0.1',
  port: 5432,
  tlsMode: 'disable',
  rpsDatabase: `oamt_rel_rps_${suffix}_${pid}`,
  mpsDatabase: `oamt_rel_mps_${suffix}_${pid}`,
  toolkitRelease: release,
});
const appUsers = {
  rps: { user: `oamt_rel_rps_user_${pid}`, password: 'Rps-Pass-One-1x' },
  mps: { user: `oamt_rel_mps_user_${pid}`, password: 'Mps-Pass-One-1x' },
};

async function query<T = any>(
  user: string,
  database: string,
  sql: string,
): Promise<T[]> {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user,
    password: 'x',
    database,
  });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const tablesIn = async (database: string) =>
  (
    await query<{ t: string }>(
      'postgres',
      database,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map(r => r.t);

afterAll(async () => {
  for (const suffix of ['up', 'pre']) {
    const t = target('v2.37.0', suffix);
    for (const db of [t.rpsDatabase, t.mpsDatabase])
      await query(
        'postgres',
        'postgres',
        `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
      );
  }
  for (const u of [appUsers.rps.user, appUsers.mps.user])
    await query('postgres', 'postgres', `DROP ROLE IF EXISTS "${u}"`);
});

describe('PostgreSQL initialize per toolkit release (real server)', () => {
  it('creates the tables of v2.26.0, then on re-run for v2.37.0 creates and grants what is new', async () => {
    const old = target('v2.26.0');
    await postgresqlAdapter.initialize(old, admin, appUsers);
    expect(await tablesIn(old.rpsDatabase)).toEqual(
      [
        ...releaseTableNames(TOOLKIT_V2_26_0, 'rps'),
        SCHEMA_VERSION_TABLE,
      ].sort(),
    );

    const upgraded = await postgresqlAdapter.initialize(
      target('v2.37.0'),
      admin,
      appUsers,
    );
    // The database holds v2.26.0 (recorded): init migrates it, the new profiles column too; the migration grants
    // the new tables to whoever could write the old ones (the app user) and records v2.37.0.
    expect(upgraded.changes).toEqual([
      `MIGRATE ${old.rpsDatabase} rps: add column profiles.uefi_wifi_sync_enabled`,
      `MIGRATE ${old.rpsDatabase} rps: create table proxyconfigs`,
      `MIGRATE ${old.rpsDatabase} rps: create table profiles_proxyconfigs`,
      `CREATE TABLE ${old.rpsDatabase}.proxyconfigs`,
      `CREATE TABLE ${old.rpsDatabase}.profiles_proxyconfigs`,
    ]);
    expect(await tablesIn(old.rpsDatabase)).toEqual(
      [
        ...releaseTableNames(TOOLKIT_V2_37_0, 'rps'),
        SCHEMA_VERSION_TABLE,
      ].sort(),
    );
    // What RPS v2.39.4 does first with a proxy: the app user may now read and write the new tables.
    await query(
      appUsers.rps.user,
      old.rpsDatabase,
      'SELECT count(*) FROM proxyconfigs',
    );
    await query(
      appUsers.rps.user,
      old.rpsDatabase,
      "INSERT INTO proxyconfigs (proxy_config_name, address, info_format, port, tenant_id) VALUES ('p', 'proxy.example.com', 201, 8080, '')",
    );
    const again = await postgresqlAdapter.initialize(
      target('v2.37.0'),
      admin,
      appUsers,
    );
    expect(again.changes).toEqual([]);
  });

  it('grants tables of the release that already exist (created by hand from the schema file), never a fixed list', async () => {
    const t = target('v2.37.0', 'pre');
    await query('postgres', 'postgres', `CREATE DATABASE "${t.rpsDatabase}"`);
    await query('postgres', t.rpsDatabase, 'CREATE EXTENSION citext');
    await query(
      'postgres',
      t.rpsDatabase,
      'CREATE TABLE proxyconfigs (proxy_config_name citext, address citext NOT NULL, info_format integer NOT NULL, port integer NOT NULL, network_dns_suffix varchar(192), creation_date timestamp, tenant_id varchar(36), PRIMARY KEY (proxy_config_name, tenant_id))',
    );
    await postgresqlAdapter.initialize(t, admin, appUsers);
    await expect(
      query(
        appUsers.rps.user,
        t.rpsDatabase,
        'SELECT count(*) FROM proxyconfigs',
      ),
    ).resolves.toEqual([{ count: '0' }]);
  });

  it('refuses an unknown release by its field before touching the server', async () => {
    await expect(
      postgresqlAdapter.initialize(target('v9.9.9', 'none'), admin, appUsers),
    ).rejects.toThrow(
      /^target\.toolkitRelease must be a known toolkit release \(v2\.37\.0, v2\.26\.0\)/,
    );
    expect(
      await query(
        'postgres',
        'postgres',
        `SELECT 1 FROM pg_database WHERE datname = 'oamt_rel_rps_none_${pid}'`,
      ),
    ).toEqual([]);
  });
});
