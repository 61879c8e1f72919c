/**
 * Schema versions and migrations on the real local MariaDB: from every supported release's schema (created by our
 * initialize, and by the generated v2.26.0 schema file run by hand before the version table existed) to the newest,
 * twice each, and after a failure injected before each step (MariaDB DDL is not transactional: what ran stays, the
 * re-run skips it). Compared with the catalog of a database initialize created at the newest release directly.
 */
import * as mariadb from 'mariadb';
import {
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseTarget } from '../types';
import { mariadbAdapter } from './mariadb';
import { migrateMariadb } from './mariadbSchemaVersion';
import { migrationPath, SCHEMA_VERSION_TABLE } from './schema/version';

jest.setTimeout(120_000);

const pid = process.pid;
const admin = { user: 'root', password: '' };
const NEWEST = LATEST_TOOLKIT_RELEASE.id;
const appUsers = {
  rps: { user: `oamt_mmig_rps_${pid}`, password: 'Rps-Pass-One-1x' },
  mps: { user: `oamt_mmig_mps_${pid}`, password: 'Mps-Pass-One-1x' },
};
const used: DatabaseTarget[] = [];
const target = (name: string, release?: string): DatabaseTarget => {
  const t: DatabaseTarget = {
    host: '127.0.0.1',
    port: 3306,
    tlsMode: 'disable',
    rpsDatabase: `oamt_mmig_rps_${name}_${pid}`,
    mpsDatabase: `oamt_mmig_mps_${name}_${pid}`,
    ...(release ? { toolkitRelease: release } : {}),
  };
  used.push(t);
  return t;
};

async function query<T = any>(
  sql: string,
  params: unknown[] = [],
  user = admin,
  database?: string,
): Promise<T[]> {
  const c = await mariadb.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: user.user,
    password: user.password,
    database,
    multipleStatements: true,
  });
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/** Columns, keys and indexes as comparable lines, sorted (an added column lands after row_version). */
async function catalog(db: string) {
  const lines = async (sql: string) =>
    (await query<Record<string, string>>(sql, [db]))
      .map(r => String(Object.values(r)[0]))
      .sort();
  return {
    columns: await lines(
      `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IFNULL(COLLATION_NAME, ''), IF(IS_NULLABLE = 'NO', ' NOT NULL', ''), ' ', IFNULL(COLUMN_DEFAULT, ''))
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    ),
    keys: await lines(
      `SELECT CONCAT(TABLE_NAME, ' ', INDEX_NAME, IF(NON_UNIQUE = 0, ' UNIQUE', ''), ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), ')')
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE`,
    ),
    foreignKeys: await lines(
      `SELECT CONCAT(TABLE_NAME, ' (', GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION), ') REFERENCES ', REFERENCED_TABLE_NAME, ' (', GROUP_CONCAT(REFERENCED_COLUMN_NAME ORDER BY ORDINAL_POSITION), ')')
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       GROUP BY TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME`,
    ),
  };
}

const versionRows = async (db: string) =>
  (
    await query<{ step: string; r: string }>(
      `SELECT step, toolkit_release AS r FROM \`${db}\`.${SCHEMA_VERSION_TABLE} ORDER BY applied_at, step`,
    )
  ).map(row => `${row.step} -> ${row.r}`);

/** A database set up from the generated v2.26.0 schema file, as an operator ran it before the version table existed. */
async function createFromV2_26File(t: DatabaseTarget) {
  const scripts = mariadbAdapter.schemaSql({ ...t, toolkitRelease: 'v2.26.0' });
  await query(scripts.setup!);
  await query(scripts.rps, [], admin, t.rpsDatabase);
  await query(scripts.mps, [], admin, t.mpsDatabase);
}

let clean: {
  rps: Awaited<ReturnType<typeof catalog>>;
  mps: Awaited<ReturnType<typeof catalog>>;
};

beforeAll(async () => {
  const t = target('clean', NEWEST);
  await mariadbAdapter.initialize(t, admin, appUsers);
  clean = {
    rps: await catalog(t.rpsDatabase),
    mps: await catalog(t.mpsDatabase),
  };
});

afterAll(async () => {
  for (const t of used)
    for (const db of [t.rpsDatabase, t.mpsDatabase])
      await query(`DROP DATABASE IF EXISTS \`${db}\``);
  for (const u of [appUsers.rps.user, appUsers.mps.user])
    await query(`DROP USER IF EXISTS ?@'%'`, [u]);
});

describe('MariaDB schema version table', () => {
  it('is written by initialize once, and read back as the version', async () => {
    const t = target('fresh', NEWEST);
    const first = await mariadbAdapter.initialize(t, admin, appUsers);
    expect(first.changes).toEqual(
      expect.arrayContaining([
        `CREATE TABLE ${t.rpsDatabase}.${SCHEMA_VERSION_TABLE}`,
        `RECORD SCHEMA VERSION ${NEWEST} IN ${t.rpsDatabase}`,
        `RECORD SCHEMA VERSION ${NEWEST} IN ${t.mpsDatabase}`,
      ]),
    );
    expect(
      (await mariadbAdapter.initialize(t, admin, appUsers)).changes,
    ).toEqual([]);
    expect(await versionRows(t.rpsDatabase)).toEqual([
      `initialize ${NEWEST} -> ${NEWEST}`,
    ]);
    await expect(
      mariadbAdapter.detectSchemaVersion!(t, admin),
    ).resolves.toEqual({
      rps: { release: NEWEST, source: 'table' },
      mps: { release: NEWEST, source: 'table' },
    });
    await expect(
      mariadbAdapter.initialize(
        { ...t, toolkitRelease: 'v2.26.0' },
        admin,
        appUsers,
      ),
    ).rejects.toThrow(
      `holds toolkit ${NEWEST}, newer than target.toolkitRelease v2.26.0: downgrades are not supported`,
    );
  });
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id] as const))(
  'MariaDB migration from %s (created by our initialize) to the newest',
  from => {
    it('migrates, then a second run changes nothing', async () => {
      const t = target(`ours_${from.replace(/\W/g, '')}`, from);
      await mariadbAdapter.initialize(t, admin, appUsers);
      const first = await mariadbAdapter.migrate!(t, admin, from, NEWEST);
      const second = await mariadbAdapter.migrate!(t, admin, from, NEWEST);
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
      // The app user's per-database grant covers the new tables.
      await query(
        "INSERT INTO proxyconfigs (proxy_config_name, address, info_format, port, tenant_id) VALUES ('p', 'proxy.example.com', 201, 8080, '')",
        [],
        appUsers.rps,
        t.rpsDatabase,
      );
    });
  },
);

describe('MariaDB migration of a database set up from the v2.26.0 schema file (no version table)', () => {
  it('detects v2.26.0, records it, migrates, and a second run changes nothing', async () => {
    const t = target('file');
    await createFromV2_26File(t);
    await expect(
      mariadbAdapter.detectSchemaVersion!(t, admin),
    ).resolves.toEqual({
      rps: { release: 'v2.26.0', source: 'detected', matching: ['v2.26.0'] },
      mps: {
        release: 'v2.26.0',
        source: 'detected',
        matching: ['v2.37.0', 'v2.26.0'],
      },
    });
    const first = await mariadbAdapter.migrate!(t, admin, 'v2.26.0', NEWEST);
    expect(first.steps.map(s => `${s.step} ${s.outcome}`)).toEqual([
      'rps: add column profiles.uefi_wifi_sync_enabled applied',
      'rps: create table proxyconfigs applied',
      'rps: create table profiles_proxyconfigs applied',
    ]);
    expect(first.recorded).toEqual([
      'rps: detected v2.26.0',
      `rps: migrate v2.26.0 to ${NEWEST}`,
      'mps: detected v2.26.0',
      `mps: migrate v2.26.0 to ${NEWEST}`,
    ]);
    const second = await mariadbAdapter.migrate!(t, admin, 'v2.26.0', NEWEST);
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
    'keeps what ran before a failure at step %i, records no new version, and the re-run completes to the same catalog',
    async k => {
      const t = target(`fail${k}`);
      await createFromV2_26File(t);
      let seen = 0;
      await expect(
        migrateMariadb(t, admin, 'v2.26.0', NEWEST, {
          beforeStep: step => {
            if (seen++ === k)
              throw new Error(`injected failure before ${step}`);
          },
        }),
      ).rejects.toThrow('injected failure');
      expect(await versionRows(t.rpsDatabase)).toEqual([
        'detected v2.26.0 -> v2.26.0',
      ]);
      await expect(
        mariadbAdapter.detectSchemaVersion!(t, admin),
      ).resolves.toMatchObject({
        rps: { release: 'v2.26.0', source: 'table' },
      });
      const rerun = await migrateMariadb(t, admin, 'v2.26.0', NEWEST);
      expect(rerun.steps.map(s => s.outcome)).toEqual([
        ...Array(k).fill('skipped'),
        ...Array(3 - k).fill('applied'),
      ]);
      expect(await catalog(t.rpsDatabase)).toEqual(clean.rps);
      expect(await catalog(t.mpsDatabase)).toEqual(clean.mps);
      expect(await versionRows(t.rpsDatabase)).toEqual([
        'detected v2.26.0 -> v2.26.0',
        `migrate v2.26.0 to ${NEWEST} -> ${NEWEST}`,
      ]);
    },
  );

  it('refuses a downgrade and an unknown release before connecting', async () => {
    const t = target('refuse');
    await expect(
      mariadbAdapter.migrate!(t, admin, NEWEST, 'v2.26.0'),
    ).rejects.toThrow('downgrades are not supported');
    await expect(
      mariadbAdapter.migrate!(t, admin, 'v2.26.0', 'v3.0.0'),
    ).rejects.toThrow(
      'The release to migrate to (v3.0.0) is not a supported toolkit release',
    );
  });
});
