/**
 * Runs against the real local MariaDB (127.0.0.1:3306, root with an empty password). Databases and users are
 * suffixed with the process id and dropped afterwards.
 */
import * as mariadb from 'mariadb';
import type { DatabaseTarget } from '../types';
import { mariadbAdapter } from './mariadb';
import { mysqlNativePasswordHash } from './passwords';
import {
  LATEST_TOOLKIT_RELEASE,
  releaseTableNames,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  closedPort,
  probeContext,
  startSilentServer,
} from './__testUtils__/servers';

/** The tables of the release a target without toolkitRelease gets: the newest. */
const RPS_TABLE_NAMES = releaseTableNames(LATEST_TOOLKIT_RELEASE, 'rps');

jest.setTimeout(60_000);

const pid = process.pid;
const root = { user: 'root', password: '' };
const target = (
  rps: string,
  mps: string,
  over: Partial<DatabaseTarget> = {},
): DatabaseTarget => ({
  host: '127.0.0.1',
  port: 3306,
  tlsMode: 'disable',
  rpsDatabase: rps,
  mpsDatabase: mps,
  ...over,
});
// Underscores on purpose: in GRANT they are wildcards unless escaped.
const main = target(`oamt_rps_${pid}`, `oamt_mps_${pid}`);
const appUsers = {
  rps: { user: `oamt_rps_u_${pid}`, password: 'Rps-Maria-Pass-1x' },
  mps: { user: `oamt_mps_u_${pid}`, password: 'Mps-Maria-Pass-1x' },
};

async function withConn<T>(
  opts: Partial<mariadb.ConnectionConfig>,
  fn: (c: mariadb.Connection) => Promise<T>,
): Promise<T> {
  const c = await mariadb.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
    bigIntAsNumber: true,
    ...opts,
  });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const rootQuery = (sql: string, params: unknown[] = []) =>
  withConn({}, c => c.query(sql, params));

afterAll(async () => {
  for (const db of [main.rpsDatabase, main.mpsDatabase])
    await rootQuery(`DROP DATABASE IF EXISTS \`${db}\``);
  for (const u of [appUsers.rps.user, appUsers.mps.user])
    await rootQuery(`DROP USER IF EXISTS ?@'%'`, [u]);
});

describe('MariaDB initialize (real server)', () => {
  it('creates everything on the first run and changes nothing on the second', async () => {
    const first = await mariadbAdapter.initialize(main, root, appUsers);
    expect(first.createdDatabases).toEqual([
      main.rpsDatabase,
      main.mpsDatabase,
    ]);
    expect(first.createdUsers).toEqual([appUsers.rps.user, appUsers.mps.user]);
    expect(first.changes).toEqual(
      expect.arrayContaining([
        ...RPS_TABLE_NAMES.map(t => `CREATE TABLE ${main.rpsDatabase}.${t}`),
        `CREATE TABLE ${main.mpsDatabase}.devices`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${main.rpsDatabase}.* TO '${appUsers.rps.user}'@'%'`,
      ]),
    );
    const second = await mariadbAdapter.initialize(main, root, appUsers);
    expect(second).toEqual({
      createdDatabases: [],
      createdUsers: [],
      changes: [],
      passwordsSet: [],
    });
  });

  it('grants on exactly one database (underscore escaped, not a wildcard)', async () => {
    const grants: Record<string, string>[] = await rootQuery(
      `SHOW GRANTS FOR ?@'%'`,
      [appUsers.rps.user],
    );
    const text = grants.map(g => Object.values(g)[0]).join('\n');
    expect(text).toContain(`ON \`oamt\\_rps\\_${pid}\`.*`);
    expect(text).not.toMatch(/ALL PRIVILEGES|GRANT OPTION|CREATE|DROP|ALTER/);
  });

  it('lets each app user log in with its password and use only its own database', async () => {
    await withConn(
      {
        user: appUsers.rps.user,
        password: appUsers.rps.password,
        database: main.rpsDatabase,
      },
      async c => {
        await c.query(
          `INSERT INTO ciraconfigs (cira_config_name, tenant_id, mps_port) VALUES ('CiraOne', 't1', 4433)`,
        );
        // case-insensitive collation stands in for citext; tenant_id stays case-sensitive like PostgreSQL text
        expect(
          await c.query(
            `SELECT mps_port FROM ciraconfigs WHERE cira_config_name = 'ciraone'`,
          ),
        ).toEqual([{ mps_port: 4433 }]);
        expect(
          await c.query(
            `SELECT mps_port FROM ciraconfigs WHERE tenant_id = 'T1'`,
          ),
        ).toEqual([]);
        await c.query(`DELETE FROM ciraconfigs WHERE tenant_id = 't1'`);
        await expect(
          c.query('CREATE TABLE sneaky (id int)'),
        ).rejects.toMatchObject({ errno: 1142 });
        await expect(
          c.query(`SELECT * FROM \`${main.mpsDatabase}\`.devices`),
        ).rejects.toMatchObject({ errno: 1142 });
      },
    );
    await expect(
      withConn(
        {
          user: appUsers.rps.user,
          password: appUsers.rps.password,
          database: main.mpsDatabase,
        },
        async () => 0,
      ),
    ).rejects.toMatchObject({
      errno: 1044,
    });
    await withConn(
      {
        user: appUsers.mps.user,
        password: appUsers.mps.password,
        database: main.mpsDatabase,
      },
      async c => {
        await c.query(
          `INSERT INTO devices (guid, tenantid, tags, deviceinfo) VALUES ('4C4C4544-0035-5910-8044-B2C04F4E4E32', '', '["a","b"]', '{"fw":"16"}')`,
        );
        expect(
          await c.query(
            `SELECT tags FROM devices WHERE guid = '4c4c4544-0035-5910-8044-b2c04f4e4e32'`,
          ),
        ).toHaveLength(1);
        await expect(
          c.query(`UPDATE devices SET tags = 'not json'`),
        ).rejects.toMatchObject({ errno: 4025 });
      },
    );
    await expect(
      withConn(
        {
          user: appUsers.mps.user,
          password: 'wrong',
          database: main.mpsDatabase,
        },
        async () => 0,
      ),
    ).rejects.toMatchObject({ errno: 1045 });
  });

  it('re-sets a password only when it changed', async () => {
    const rotated = {
      ...appUsers,
      mps: { ...appUsers.mps, password: 'Mps-Maria-Pass-2y' },
    };
    const third = await mariadbAdapter.initialize(main, root, rotated);
    expect(third.changes).toEqual([]);
    expect(third.passwordsSet).toEqual([appUsers.mps.user]);
    const [row] = await rootQuery(
      `SELECT authentication_string AS h FROM mysql.user WHERE User = ? AND Host = '%'`,
      [appUsers.mps.user],
    );
    expect(row.h).toBe(mysqlNativePasswordHash('Mps-Maria-Pass-2y'));
    await withConn(
      {
        user: appUsers.mps.user,
        password: 'Mps-Maria-Pass-2y',
        database: main.mpsDatabase,
      },
      c => c.query('SELECT 1'),
    );
    await mariadbAdapter.initialize(main, root, appUsers); // back to the original for the other tests
  });
});

describe('MariaDB probe (real server)', () => {
  const ctx = probeContext(3000);

  it('is healthy on an initialised deployment', async () => {
    const result = await mariadbAdapter.probe(main, root, ctx);
    expect(result.status).toBe('healthy');
    expect(result.details).toMatchObject({
      version: expect.stringMatching(/MariaDB/),
      readOnly: false,
      tls: { inUse: false, verified: false },
      databases: { rps: { missingTables: [] }, mps: { missingTables: [] } },
    });
  });

  it('reports the server read_only setting as degraded even for root, who can still write', async () => {
    await rootQuery('SET GLOBAL read_only = 1');
    let result;
    try {
      result = await mariadbAdapter.probe(main, root, ctx);
    } finally {
      await rootQuery('SET GLOBAL read_only = 0');
    }
    expect(result.status).toBe('degraded');
    expect(result.details).toMatchObject({
      reason: 'read_only',
      readOnly: true,
      readOnlyDetail: expect.stringContaining('@@read_only'),
    });
  });

  it('is down with auth_failed on a wrong password and never shows the password', async () => {
    const result = await mariadbAdapter.probe(
      main,
      { user: appUsers.rps.user, password: 'Wrong-Maria-Secret-5' },
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: {
        reason: 'auth_failed',
        databases: { rps: { code: 'ER_ACCESS_DENIED_ERROR' } },
      },
    });
    expect(JSON.stringify(result)).not.toContain('Wrong-Maria-Secret-5');
  });

  it('is down with access_denied when the user lacks one database', async () => {
    const result = await mariadbAdapter.probe(main, appUsers.rps, ctx);
    expect(result).toMatchObject({
      status: 'down',
      details: {
        reason: 'access_denied',
        databases: { rps: { connected: true }, mps: { connected: false } },
      },
    });
  });

  it('lists a missing table as degraded', async () => {
    await withConn({ database: main.mpsDatabase }, c =>
      c.query('DROP TABLE devices'),
    );
    try {
      const result = await mariadbAdapter.probe(main, root, ctx);
      expect(result).toMatchObject({
        status: 'degraded',
        details: {
          reason: 'missing_tables',
          missingTables: { mps: ['devices'] },
        },
      });
    } finally {
      await mariadbAdapter.initialize(main, root, appUsers);
    }
  });

  it('is down with missing_database', async () => {
    const result = await mariadbAdapter.probe(
      target(`nope_rps_${pid}`, `nope_mps_${pid}`),
      root,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'missing_database' },
    });
  });

  it('reports tls_error when TLS is required and the server has none', async () => {
    const result = await mariadbAdapter.probe(
      { ...main, tlsMode: 'verify-full' },
      root,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'tls_error' },
    });
  });

  it('is down (unreachable) quickly when the port is closed', async () => {
    const started = Date.now();
    const result = await mariadbAdapter.probe(
      target('rpsdb', 'mpsdb', { port: await closedPort() }),
      root,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'cannot_connect' },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is down (timeout) within ctx.timeoutMs when the server accepts and never answers', async () => {
    const server = await startSilentServer();
    try {
      const started = Date.now();
      const result = await mariadbAdapter.probe(
        target('rpsdb', 'mpsdb', { port: server.port }),
        root,
        probeContext(500),
      );
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({
        status: 'down',
        details: { reason: 'timeout' },
      });
      expect(elapsed).toBeLessThan(500 + 250);
    } finally {
      await server.close();
    }
  });
});
