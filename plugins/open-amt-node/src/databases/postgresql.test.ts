/**
 * Runs against the real local PostgreSQL (127.0.0.1:5432, user postgres, trust auth). Databases and roles
 * are suffixed with the process id and dropped afterwards.
 */
import { Client } from 'pg';
import type { DatabaseTarget } from '../types';
import { HostNotAllowedError } from '../net/hostGuard';
import { postgresqlAdapter } from './postgresql';
import { azurePostgresqlAdapter } from './azurePostgresql';
import { scramVerifierMatches } from './passwords';
import {
  LATEST_TOOLKIT_RELEASE,
  releaseTableNames,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  closedPort,
  probeContext,
  startFailingPostgresServer,
  startSilentServer,
} from './__testUtils__/servers';

/** The tables of the release a target without toolkitRelease gets: the newest. */
const RPS_TABLE_NAMES = releaseTableNames(LATEST_TOOLKIT_RELEASE, 'rps');
const MPS_TABLE_NAMES = releaseTableNames(LATEST_TOOLKIT_RELEASE, 'mps');

jest.setTimeout(60_000);

const pid = process.pid;
const admin = { user: 'postgres', password: 'unused-with-trust' };
const target = (
  rps: string,
  mps: string,
  over: Partial<DatabaseTarget> = {},
): DatabaseTarget => ({
  host: '127.0.0.1',
  port: 5432,
  tlsMode: 'disable',
  rpsDatabase: rps,
  mpsDatabase: mps,
  ...over,
});
const main = target(`oamt_rps_${pid}`, `oamt_mps_${pid}`);
const bare = target(`oamt_rps_bare_${pid}`, `oamt_mps_bare_${pid}`);
const appUsers = {
  rps: { user: `oamt_rps_user_${pid}`, password: 'Rps-Pass-One-1x' },
  mps: { user: `oamt_mps_user_${pid}`, password: 'Mps-Pass-One-1x' },
};

/** The health probe's monitoring login: CONNECT on both databases, no table rights. */
const probeLogin = {
  user: `oamt_probe_user_${pid}`,
  password: 'Probe-Pass-One-1x',
};

async function adminQuery<T = any>(
  sql: string,
  params: unknown[] = [],
  database = 'postgres',
): Promise<T[]> {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function connectAs(user: string, database: string): Promise<Client> {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user,
    password: 'x',
    database,
  });
  await c.connect();
  return c;
}

afterAll(async () => {
  for (const db of [
    main.rpsDatabase,
    main.mpsDatabase,
    bare.rpsDatabase,
    bare.mpsDatabase,
  ]) {
    await adminQuery(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  }
  for (const u of [appUsers.rps.user, appUsers.mps.user, probeLogin.user])
    await adminQuery(`DROP ROLE IF EXISTS "${u}"`);
});

describe('PostgreSQL initialize (real server)', () => {
  it('creates everything on the first run and changes nothing on the second', async () => {
    const first = await postgresqlAdapter.initialize(main, admin, appUsers);
    expect(first.createdDatabases).toEqual([
      main.rpsDatabase,
      main.mpsDatabase,
    ]);
    expect(first.createdUsers).toEqual([appUsers.rps.user, appUsers.mps.user]);
    expect(first.changes).toEqual(
      expect.arrayContaining([
        `CREATE EXTENSION citext IN ${main.rpsDatabase}`,
        ...RPS_TABLE_NAMES.map(t => `CREATE TABLE ${main.rpsDatabase}.${t}`),
        `CREATE TABLE ${main.mpsDatabase}.devices`,
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${main.mpsDatabase} FROM PUBLIC`,
      ]),
    );

    const second = await postgresqlAdapter.initialize(main, admin, appUsers);
    expect(second).toEqual({
      createdDatabases: [],
      createdUsers: [],
      changes: [],
      passwordsSet: [],
    });
  });

  it('stores the given passwords (as SCRAM verifiers) and re-sets only a changed one', async () => {
    const [rps] = await adminQuery(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [appUsers.rps.user],
    );
    expect(rps.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(scramVerifierMatches(rps.rolpassword, appUsers.rps.password)).toBe(
      true,
    );
    expect(scramVerifierMatches(rps.rolpassword, 'something-else')).toBe(false);

    const rotated = {
      ...appUsers,
      rps: { ...appUsers.rps, password: 'Rps-Pass-Two-2y' },
    };
    const third = await postgresqlAdapter.initialize(main, admin, rotated);
    expect(third.changes).toEqual([]);
    expect(third.passwordsSet).toEqual([appUsers.rps.user]);
    const [after] = await adminQuery(
      'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
      [appUsers.rps.user],
    );
    expect(scramVerifierMatches(after.rolpassword, 'Rps-Pass-Two-2y')).toBe(
      true,
    );
  });

  it('computes SCRAM verifiers the way PostgreSQL does (checked against one the server made)', async () => {
    const role = `oamt_scram_probe_${pid}`;
    try {
      await adminQuery(`CREATE ROLE "${role}" PASSWORD 'Server-Hashed-9z'`);
      const [row] = await adminQuery(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [role],
      );
      expect(scramVerifierMatches(row.rolpassword, 'Server-Hashed-9z')).toBe(
        true,
      );
      expect(scramVerifierMatches(row.rolpassword, 'Server-Hashed-9Z')).toBe(
        false,
      );
    } finally {
      await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
    }
  });

  it('gives each app user read/write on its own database only', async () => {
    const rps = await connectAs(appUsers.rps.user, main.rpsDatabase);
    try {
      await rps.query(
        `INSERT INTO ciraconfigs (cira_config_name, tenant_id, mps_port) VALUES ('CiraOne', 't1', 4433)`,
      );
      // citext: the name matches whatever its case
      expect(
        (
          await rps.query(
            `SELECT mps_port FROM ciraconfigs WHERE cira_config_name = 'ciraone'`,
          )
        ).rows,
      ).toEqual([{ mps_port: 4433 }]);
      await rps.query(
        `UPDATE ciraconfigs SET mps_port = 4434 WHERE tenant_id = 't1'`,
      );
      await rps.query(`DELETE FROM ciraconfigs WHERE tenant_id = 't1'`);
      await expect(
        rps.query('CREATE TABLE sneaky (id int)'),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(rps.query('DROP TABLE domains')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await rps.end();
    }
    await expect(
      connectAs(appUsers.rps.user, main.mpsDatabase),
    ).rejects.toMatchObject({ code: '42501' });

    const mps = await connectAs(appUsers.mps.user, main.mpsDatabase);
    try {
      await mps.query(
        `INSERT INTO devices (guid, tenantid, tags, deviceinfo, lastseen) VALUES ('4c4c4544-0035-5910-8044-b2c04f4e4e32', '', ARRAY['a','b'], '{"fwVersion":"16.1"}', now())`,
      );
      expect((await mps.query('SELECT tags FROM devices')).rows).toEqual([
        { tags: ['a', 'b'] },
      ]);
    } finally {
      await mps.end();
    }
    await expect(
      connectAs(appUsers.mps.user, main.rpsDatabase),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('rejects unsafe names before touching the server', async () => {
    await expect(
      postgresqlAdapter.initialize(
        target('rps"; DROP DATABASE x; --', 'mpsdb'),
        admin,
        appUsers,
      ),
    ).rejects.toThrow(/target\.rpsDatabase/);
    await expect(
      postgresqlAdapter.initialize(main, admin, {
        ...appUsers,
        mps: { user: appUsers.rps.user, password: 'abc' },
      }),
    ).rejects.toThrow(/appUsers\.mps\.user/);
  });
});

describe('PostgreSQL probe (real server)', () => {
  const ctx = probeContext(3000);

  it('is healthy on an initialised deployment', async () => {
    const result = await postgresqlAdapter.probe(main, admin, ctx);
    expect(result.status).toBe('healthy');
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.message).toMatch(/answers in/);
    expect(result.details).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+/),
      readOnly: false,
      inRecovery: false,
      citext: expect.stringMatching(/^\d/),
      tls: { inUse: false, verified: false },
      databases: {
        rps: {
          name: main.rpsDatabase,
          connected: true,
          tablesPresent: RPS_TABLE_NAMES.length,
          missingTables: [],
        },
        mps: {
          name: main.mpsDatabase,
          connected: true,
          tablesPresent: MPS_TABLE_NAMES.length,
          missingTables: [],
        },
      },
    });
  });

  it('lists missing tables: degraded when one side lacks them, down when both do', async () => {
    await adminQuery(`CREATE DATABASE "${bare.rpsDatabase}"`);
    await adminQuery(`CREATE DATABASE "${bare.mpsDatabase}"`);
    const both = await postgresqlAdapter.probe(bare, admin, ctx);
    expect(both.status).toBe('down');
    expect(both.details).toMatchObject({
      reason: 'missing_tables',
      issues: expect.arrayContaining(['missing_tables', 'missing_citext']),
      missingTables: { rps: [...RPS_TABLE_NAMES], mps: ['devices'] },
      citext: null,
    });

    // The mps side complete, the rps side short of one table (and of citext).
    await postgresqlAdapter.initialize(bare, admin, appUsers);
    await adminQuery('DROP TABLE domains', [], bare.rpsDatabase);
    const one = await postgresqlAdapter.probe(bare, admin, ctx);
    expect(one.status).toBe('degraded');
    expect(one.details).toMatchObject({
      reason: 'missing_tables',
      missingTables: { rps: ['domains'] },
    });
    expect(one.message).toContain('domains');
  });

  it('is down with missing_database when the databases do not exist', async () => {
    const result = await postgresqlAdapter.probe(
      target(`nope_rps_${pid}`, `nope_mps_${pid}`),
      admin,
      ctx,
    );
    expect(result.status).toBe('down');
    expect(result.details).toMatchObject({
      reason: 'missing_database',
      databases: { rps: { code: '3D000' } },
    });
  });

  it('is down with auth_failed for an unknown role (28000, real server)', async () => {
    const result = await postgresqlAdapter.probe(
      main,
      { user: `ghost_${pid}`, password: 'Ghost-Secret-991' },
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'auth_failed' },
    });
    expect(JSON.stringify(result)).not.toContain('Ghost-Secret-991');
  });

  it('reports access_denied when the user may not connect to one of the databases', async () => {
    const result = await postgresqlAdapter.probe(main, appUsers.rps, ctx);
    expect(result.status).toBe('down');
    expect(result.details).toMatchObject({
      reason: 'access_denied',
      databases: {
        rps: { connected: true },
        mps: { connected: false, code: '42501' },
      },
    });
  });

  it.each([
    {
      sqlstate: '28P01',
      message: 'password authentication failed for user "openamt"',
      askPassword: true,
      reason: 'auth_failed',
    },
    {
      sqlstate: '57P03',
      message: 'the database system is starting up',
      reason: 'starting_up',
    },
    {
      sqlstate: '53300',
      message: 'sorry, too many clients already',
      reason: 'too_many_connections',
    },
  ])(
    'classifies $sqlstate from the wire as $reason',
    async ({ reason, ...failure }) => {
      const server = await startFailingPostgresServer(failure);
      try {
        const result = await postgresqlAdapter.probe(
          target('rpsdb', 'mpsdb', { port: server.port }),
          { user: 'openamt', password: 'Wrong-Secret-77' },
          ctx,
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { reason, databases: { rps: { code: failure.sqlstate } } },
        });
        expect(JSON.stringify(result)).not.toContain('Wrong-Secret-77');
      } finally {
        await server.close();
      }
    },
  );

  it('reports tls_error when TLS is required and the server has none', async () => {
    const result = await postgresqlAdapter.probe(
      { ...main, tlsMode: 'require' },
      admin,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'tls_error' },
    });
  });

  it('is down (unreachable) quickly when the port is closed', async () => {
    const started = Date.now();
    const result = await postgresqlAdapter.probe(
      target('rpsdb', 'mpsdb', { port: await closedPort() }),
      admin,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'cannot_connect' },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is down (unreachable) when the host name does not resolve', async () => {
    const result = await postgresqlAdapter.probe(
      target('rpsdb', 'mpsdb', { host: 'no-such-host.invalid' }),
      admin,
      ctx,
    );
    expect(result).toMatchObject({
      status: 'down',
      details: {
        reason: 'cannot_connect',
        databases: { rps: { code: 'ENOTFOUND' } },
      },
    });
  });

  it('is down (timeout) within ctx.timeoutMs when the server accepts and never answers', async () => {
    const server = await startSilentServer();
    try {
      const started = Date.now();
      const result = await postgresqlAdapter.probe(
        target('rpsdb', 'mpsdb', { port: server.port }),
        admin,
        probeContext(500),
      );
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({
        status: 'down',
        details: { reason: 'timeout' },
      });
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(500 + 250);
    } finally {
      await server.close();
    }
  });

  it('asks the host guard first and connects nowhere when it refuses', async () => {
    const server = await startSilentServer();
    try {
      const guard = {
        assertAllowed: async (host: string) =>
          Promise.reject(new HostNotAllowedError(host, { rule: 'not_listed' })),
      };
      const result = await azurePostgresqlAdapter.probe(
        target('rpsdb', 'mpsdb', { port: server.port }),
        admin,
        probeContext(500, guard),
      );
      expect(result).toMatchObject({
        status: 'unknown',
        details: { reason: 'host_not_allowed' },
      });
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('PostgreSQL monitoring login (real server)', () => {
  it('gets CONNECT on both databases and no table rights but reading the version table; the probe with it reports healthy', async () => {
    await postgresqlAdapter.initialize(main, admin, appUsers);
    const report = await postgresqlAdapter.initialize(main, admin, {
      ...appUsers,
      probe: probeLogin,
    });
    expect(report.createdUsers).toEqual([probeLogin.user]);
    expect(report.changes).toEqual([
      `CREATE ROLE ${probeLogin.user} LOGIN`,
      `GRANT CONNECT ON DATABASE ${main.rpsDatabase} TO ${probeLogin.user}`,
      `GRANT CONNECT ON DATABASE ${main.mpsDatabase} TO ${probeLogin.user}`,
      `GRANT SELECT ON oamt_backstage_schema_version IN ${main.rpsDatabase} TO ${probeLogin.user}`,
      `GRANT SELECT ON oamt_backstage_schema_version IN ${main.mpsDatabase} TO ${probeLogin.user}`,
    ]);
    const again = await postgresqlAdapter.initialize(main, admin, {
      ...appUsers,
      probe: probeLogin,
    });
    expect(again.changes).toEqual([]);

    const [rights] = await adminQuery(
      `SELECT has_table_privilege($1, 'public.profiles', 'SELECT') AS can_read`,
      [probeLogin.user],
      main.rpsDatabase,
    );
    expect(rights.can_read).toBe(false);

    const result = await postgresqlAdapter.probe(
      main,
      probeLogin,
      probeContext(3000),
    );
    expect(result.status).toBe('healthy');
  });
});
