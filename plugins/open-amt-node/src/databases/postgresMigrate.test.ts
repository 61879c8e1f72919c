/**
 * Schema versions and migrations on the real local PostgreSQL: from every supported release's schema (created by
 * our initialize) and from a database as upstream's own v2.26.0 scripts leave it (no version table) to the newest,
 * twice each, and after a failure injected before each step. The result is compared with the catalog of a
 * database initialize created at the newest release directly.
 */
import { Client } from 'pg';
import {
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseTarget } from '../types';
import {
  UPSTREAM_V2_26_0_MPS,
  UPSTREAM_V2_26_0_RPS,
} from './__testUtils__/upstreamV2_26_0';
import { postgresqlAdapter } from './postgresql';
import { migratePostgres } from './postgresSchemaVersion';
import { PG_CATALOG_QUERIES } from './schema/catalog';
import { migrationPath, SCHEMA_VERSION_TABLE } from './schema/version';

jest.setTimeout(120_000);

const pid = process.pid;
const admin = { user: 'postgres', password: 'unused-with-trust' };
const NEWEST = LATEST_TOOLKIT_RELEASE.id;
const appUsers = {
  rps: { user: `oamt_mig_rps_${pid}`, password: 'Rps-Pass-One-1x' },
  mps: { user: `oamt_mig_mps_${pid}`, password: 'Mps-Pass-One-1x' },
};
const probe = { user: `oamt_mig_probe_${pid}`, password: 'Probe-Pass-One-1x' };
const used: DatabaseTarget[] = [];
const target = (name: string, release?: string): DatabaseTarget => {
  const t: DatabaseTarget = {
    host: '127.0.0.1',
    port: 5432,
    tlsMode: 'disable',
    rpsDatabase: `oamt_mig_rps_${name}_${pid}`,
    mpsDatabase: `oamt_mig_mps_${name}_${pid}`,
    ...(release ? { toolkitRelease: release } : {}),
  };
  used.push(t);
  return t;
};

async function query<T = any>(
  database: string,
  sql: string,
  user = 'postgres',
): Promise<T[]> {
  const c = new Client({ host: '127.0.0.1', port: 5432, user, database });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The catalog as comparable lines: columns, keys, indexes, extensions (sorted: creation order differs). */
async function catalog(database: string) {
  const lines = async (sql: string) =>
    (await query(database, sql)).map(r => String(Object.values(r)[0])).sort();
  return {
    columns: await lines(PG_CATALOG_QUERIES.columns),
    constraints: await lines(PG_CATALOG_QUERIES.constraints),
    indexes: await lines(PG_CATALOG_QUERIES.indexes),
    extensions: await lines(PG_CATALOG_QUERIES.extensions),
  };
}

const versionRows = async (database: string) =>
  (
    await query<{ step: string; toolkit_release: string }>(
      database,
      `SELECT step, toolkit_release FROM ${SCHEMA_VERSION_TABLE} ORDER BY applied_at, step`,
    )
  ).map(r => `${r.step} -> ${r.toolkit_release}`);

async function createUpstream(t: DatabaseTarget) {
  for (const [db, statements] of [
    [t.rpsDatabase, UPSTREAM_V2_26_0_RPS],
    [t.mpsDatabase, UPSTREAM_V2_26_0_MPS],
  ] as const) {
    await query('postgres', `CREATE DATABASE "${db}"`);
    for (const s of statements) await query(db, s);
  }
}

let clean: {
  rps: Awaited<ReturnType<typeof catalog>>;
  mps: Awaited<ReturnType<typeof catalog>>;
};

beforeAll(async () => {
  const t = target('clean', NEWEST);
  await postgresqlAdapter.initialize(t, admin, appUsers);
  clean = {
    rps: await catalog(t.rpsDatabase),
    mps: await catalog(t.mpsDatabase),
  };
});

afterAll(async () => {
  for (const t of used)
    for (const db of [t.rpsDatabase, t.mpsDatabase])
      await query('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  for (const u of [appUsers.rps.user, appUsers.mps.user, probe.user])
    await query('postgres', `DROP ROLE IF EXISTS "${u}"`);
});

describe('PostgreSQL schema version table', () => {
  it('is written by initialize, readable by the app user, not writable by it', async () => {
    const t = target('fresh', NEWEST);
    const first = await postgresqlAdapter.initialize(t, admin, {
      ...appUsers,
      probe,
    });
    expect(first.changes).toEqual(
      expect.arrayContaining([
        `CREATE TABLE ${t.rpsDatabase}.${SCHEMA_VERSION_TABLE}`,
        `RECORD SCHEMA VERSION ${NEWEST} IN ${t.rpsDatabase}`,
        `RECORD SCHEMA VERSION ${NEWEST} IN ${t.mpsDatabase}`,
      ]),
    );
    expect(await versionRows(t.rpsDatabase)).toEqual([
      `initialize ${NEWEST} -> ${NEWEST}`,
    ]);
    expect(
      (await postgresqlAdapter.initialize(t, admin, { ...appUsers, probe }))
        .changes,
    ).toEqual([]);
    expect(await versionRows(t.rpsDatabase)).toHaveLength(1);
    await expect(
      query(
        t.rpsDatabase,
        `SELECT toolkit_release FROM ${SCHEMA_VERSION_TABLE}`,
        appUsers.rps.user,
      ),
    ).resolves.toEqual([{ toolkit_release: NEWEST }]);
    await expect(
      query(
        t.rpsDatabase,
        `INSERT INTO ${SCHEMA_VERSION_TABLE} (step, toolkit_release) VALUES ('x', 'v9.9.9')`,
        appUsers.rps.user,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      // The health probe's login (CONNECT only, plus SELECT on this table) can read it.
      postgresqlAdapter.detectSchemaVersion!(t, probe),
    ).resolves.toEqual({
      rps: { release: NEWEST, source: 'table' },
      mps: { release: NEWEST, source: 'table' },
    });
  });

  it('refuses initialize for an older release than the one recorded (downgrade)', async () => {
    const t = target('fresh', NEWEST);
    await expect(
      postgresqlAdapter.initialize(
        { ...t, toolkitRelease: 'v2.26.0' },
        admin,
        appUsers,
      ),
    ).rejects.toThrow(
      `holds toolkit ${NEWEST}, newer than target.toolkitRelease v2.26.0: downgrades are not supported`,
    );
  });
});

describe('PostgreSQL detection without a version table', () => {
  it('detects the upstream v2.26.0 schema exactly, and says what differs when a column is missing', async () => {
    const t = target('detect');
    await createUpstream(t);
    await expect(
      postgresqlAdapter.detectSchemaVersion!(t, admin),
    ).resolves.toEqual({
      rps: { release: 'v2.26.0', source: 'detected', matching: ['v2.26.0'] },
      mps: {
        release: 'v2.26.0',
        source: 'detected',
        matching: ['v2.37.0', 'v2.26.0'],
      },
    });
    await query(t.rpsDatabase, 'ALTER TABLE profiles DROP COLUMN tls_mode');
    const { rps } = await postgresqlAdapter.detectSchemaVersion!(t, admin);
    expect(rps).toEqual({
      source: 'unknown',
      differences: [
        'compared with v2.26.0: column profiles.tls_mode is missing',
      ],
    });
    await expect(
      postgresqlAdapter.migrate!(t, admin, 'v2.26.0', NEWEST),
    ).rejects.toThrow(
      /holds no known release's schema.*profiles\.tls_mode is missing/,
    );
  });
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id] as const))(
  'PostgreSQL migration from %s (created by our initialize) to the newest',
  from => {
    it('migrates, then a second run changes nothing', async () => {
      const t = target(`ours_${from.replace(/\W/g, '')}`, from);
      await postgresqlAdapter.initialize(t, admin, appUsers);
      const first = await postgresqlAdapter.migrate!(t, admin, from, NEWEST);
      const second = await postgresqlAdapter.migrate!(t, admin, from, NEWEST);
      expect(second.steps.every(s => s.outcome === 'skipped')).toBe(true);
      expect(second.recorded).toEqual([]);
      // Every step of the path ran once (none from the newest itself), and the newest was recorded.
      expect(first.steps.map(s => s.outcome)).toEqual(
        migrationPath(from, NEWEST).flatMap(hop =>
          [...hop.steps.rps, ...hop.steps.mps].map(() => 'applied'),
        ),
      );
      expect(first.recorded.includes(`rps: migrate ${from} to ${NEWEST}`)).toBe(
        from !== NEWEST,
      );
      expect(await catalog(t.rpsDatabase)).toEqual(clean.rps);
      expect(await catalog(t.mpsDatabase)).toEqual(clean.mps);
      // The app user may use what the migration created (grants copied from the tables it already had).
      await query(
        t.rpsDatabase,
        "INSERT INTO proxyconfigs (proxy_config_name, address, info_format, port, tenant_id) VALUES ('p', 'proxy.example.com', 201, 8080, '')",
        appUsers.rps.user,
      );
      await expect(
        postgresqlAdapter.detectSchemaVersion!(t, admin),
      ).resolves.toEqual({
        rps: { release: NEWEST, source: 'table' },
        mps: { release: NEWEST, source: 'table' },
      });
    });
  },
);

describe('PostgreSQL migration of a database created by upstream v2.26.0 scripts', () => {
  it('records the detected version, migrates, and a second run changes nothing', async () => {
    const t = target('upstream');
    await createUpstream(t);
    const first = await postgresqlAdapter.migrate!(t, admin, 'v2.26.0', NEWEST);
    expect(first).toEqual({
      from: 'v2.26.0',
      to: NEWEST,
      steps: [
        {
          step: 'rps: add column profiles.uefi_wifi_sync_enabled',
          outcome: 'applied',
        },
        { step: 'rps: create table proxyconfigs', outcome: 'applied' },
        { step: 'rps: create table profiles_proxyconfigs', outcome: 'applied' },
      ],
      recorded: [
        'rps: detected v2.26.0',
        `rps: migrate v2.26.0 to ${NEWEST}`,
        'mps: detected v2.26.0',
        `mps: migrate v2.26.0 to ${NEWEST}`,
      ],
    });
    const second = await postgresqlAdapter.migrate!(
      t,
      admin,
      'v2.26.0',
      NEWEST,
    );
    expect(second.steps.map(s => s.outcome)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(second.recorded).toEqual([]);
    expect(await catalog(t.rpsDatabase)).toEqual(clean.rps);
    expect(await catalog(t.mpsDatabase)).toEqual(clean.mps);
  });

  it.each([0, 1, 2])(
    'rolls back a failure before step %i, and the re-run completes to the same catalog',
    async k => {
      const t = target(`fail${k}`);
      await createUpstream(t);
      const before = await catalog(t.rpsDatabase);
      let seen = 0;
      await expect(
        migratePostgres(t, admin, 'v2.26.0', NEWEST, 5000, {
          beforeStep: step => {
            if (seen++ === k)
              throw new Error(`injected failure before ${step}`);
          },
        }),
      ).rejects.toThrow('injected failure');
      // One transaction: nothing of the migration stayed, not even the version table.
      expect(await catalog(t.rpsDatabase)).toEqual(before);
      const rerun = await migratePostgres(t, admin, 'v2.26.0', NEWEST, 5000);
      expect(rerun.steps.map(s => s.outcome)).toEqual([
        'applied',
        'applied',
        'applied',
      ]);
      expect(await catalog(t.rpsDatabase)).toEqual(clean.rps);
      expect(await catalog(t.mpsDatabase)).toEqual(clean.mps);
    },
  );

  it('initialize for the newest release migrates the old database instead of only adding tables', async () => {
    const t = target('initup', NEWEST);
    await createUpstream(t);
    const report = await postgresqlAdapter.initialize(t, admin, appUsers);
    expect(report.changes).toEqual(
      expect.arrayContaining([
        `MIGRATE ${t.rpsDatabase} rps: add column profiles.uefi_wifi_sync_enabled`,
      ]),
    );
    expect(await catalog(t.rpsDatabase)).toEqual(clean.rps);
  });
});

describe('PostgreSQL migration refusals', () => {
  it('refuses a downgrade and an unknown release before changing anything', async () => {
    const t = target('refuse', NEWEST);
    await expect(
      postgresqlAdapter.migrate!(t, admin, NEWEST, 'v2.26.0'),
    ).rejects.toThrow(
      `Refusing to migrate from ${NEWEST} down to v2.26.0: downgrades are not supported`,
    );
    await expect(
      postgresqlAdapter.migrate!(t, admin, 'v2.30.0', NEWEST),
    ).rejects.toThrow(
      'The release to migrate from (v2.30.0) is not a supported toolkit release',
    );
    expect(
      await query(
        'postgres',
        `SELECT 1 FROM pg_database WHERE datname = '${t.rpsDatabase}'`,
      ),
    ).toEqual([]);
  });
});
