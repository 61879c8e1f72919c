/**
 * No SQL Server is available on this machine. What runs here: the statements initialize() sends (shape,
 * idempotence guards, no secret in SQL text), the error classification fed with errors produced by the real
 * mssql/tedious client (closed port, silent socket, a TDS stand-in that rejects logins), and the probe's
 * failure paths within the timeout. initialize() and a healthy probe against a real server are NOT tested.
 */
import { ConnectionError, ConnectionPool } from 'mssql';
import type { DatabaseTarget } from '../types';
import { azureSqlAdapter } from './azureSql';
import { mssqlAdapter } from './mssql';
import { classifyMssqlError } from './mssqlErrors';
import { mssqlConfig } from './mssqlFamily';
import { mssqlInitStatements as s, MSSQL_PROBE_SQL } from './mssqlStatements';
import {
  closedPort,
  probeContext,
  startSilentServer,
} from './__testUtils__/servers';
import { startFailingTdsServer } from './__testUtils__/tdsServer';

jest.setTimeout(30_000);

const target = (
  port: number,
  over: Partial<DatabaseTarget> = {},
): DatabaseTarget => ({
  host: '127.0.0.1',
  port,
  tlsMode: 'disable',
  rpsDatabase: 'rpsdb',
  mpsDatabase: 'mpsdb',
  ...over,
});
const creds = { user: 'openamt', password: 'Sql-Secret-Value-42' };

async function realConnectError(
  t: DatabaseTarget,
  timeoutMs = 1000,
): Promise<unknown> {
  const pool = new ConnectionPool(mssqlConfig(t, creds, 'rpsdb', timeoutMs));
  pool.on('error', () => {});
  try {
    await pool.connect();
  } catch (error) {
    return error;
  } finally {
    await pool.close().catch(() => undefined);
  }
  throw new Error('connect unexpectedly succeeded');
}

describe('MSSQL init statements', () => {
  it('pass names and passwords as bound parameters, never as SQL text', () => {
    const tricky = "pa'ss]word";
    for (const st of [
      s.createLogin('rps_user', tricky),
      s.alterLoginPassword('rps_user', tricky),
      s.loginState('rps_user', tricky),
    ]) {
      expect(st.sql).not.toContain(tricky);
      expect(st.sql).not.toContain('rps_user');
      expect(st.params).toEqual({ login: 'rps_user', password: tricky });
    }
    expect(s.createLogin('u', 'p').sql).toContain("QUOTENAME(@password, '''')");
    for (const st of [
      s.createDatabase('rpsdb'),
      s.createUser('rps_user'),
      s.grantSchema('rps_user'),
    ]) {
      expect(st.sql).toMatch(/QUOTENAME\(@\w+\)/);
      expect(st.sql).toMatch(/EXEC \(@sql\);$/);
    }
  });

  it('check before they change: every mutation has a matching existence query', () => {
    expect(s.databaseExists('rpsdb').sql).toContain('DB_ID(@database)');
    expect(s.loginState('u', 'p').sql).toContain(
      'PWDCOMPARE(@password, password_hash)',
    );
    expect(s.userExists('u').sql).toContain('sys.database_principals');
    expect(s.schemaPermissions('u').sql).toMatch(
      /dp\.class = 3 AND dp\.major_id = SCHEMA_ID\(N'dbo'\)/,
    );
    expect(s.grantSchema('u').sql).toContain(
      "N'GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::[dbo] TO '",
    );
    expect(s.grantSchema('u').sql).not.toMatch(
      /CONTROL|ALTER|db_owner|db_ddladmin/,
    );
  });

  it('probe asks for ProductVersion, EngineEdition and Updateability', () => {
    expect(MSSQL_PROBE_SQL).toContain("SERVERPROPERTY('ProductVersion')");
    expect(MSSQL_PROBE_SQL).toContain("SERVERPROPERTY('EngineEdition')");
    expect(MSSQL_PROBE_SQL).toContain(
      "DATABASEPROPERTYEX(DB_NAME(), 'Updateability')",
    );
  });

  it('map tlsMode onto tedious options', () => {
    expect(
      mssqlConfig(target(1433), creds, 'rpsdb', 1000).options,
    ).toMatchObject({ encrypt: false, trustServerCertificate: false });
    expect(
      mssqlConfig(target(1433, { tlsMode: 'require' }), creds, 'rpsdb', 1000)
        .options,
    ).toMatchObject({ encrypt: true, trustServerCertificate: true });
    expect(
      mssqlConfig(
        target(1433, { tlsMode: 'verify-full', ca: 'PEM' }),
        creds,
        'rpsdb',
        1000,
      ).options,
    ).toMatchObject({
      encrypt: true,
      trustServerCertificate: false,
      cryptoCredentialsDetails: { ca: 'PEM' },
    });
  });

  it('initialize rejects bad names before connecting anywhere', async () => {
    await expect(
      mssqlAdapter.initialize(
        target(await closedPort(), { rpsDatabase: 'rps]db' }),
        { user: 'sa', password: 'x' },
        {
          rps: { user: 'rps_user', password: 'a' },
          mps: { user: 'mps_user', password: 'b' },
        },
      ),
    ).rejects.toThrow(/target\.rpsDatabase/);
    await expect(
      mssqlAdapter.initialize(
        target(await closedPort()),
        { user: 'sa', password: 'x' },
        {
          rps: { user: 'rps_user', password: 'x'.repeat(129) },
          mps: { user: 'mps_user', password: 'b' },
        },
      ),
    ).rejects.toThrow(/appUsers\.rps\.password must be at most 128/);
  });
});

describe('MSSQL error classification (errors from the real mssql client)', () => {
  const classify = (e: unknown, tlsRequested = false) =>
    classifyMssqlError(e, { tlsRequested, password: creds.password });

  it('closed port → unreachable (ESOCKET / ECONNREFUSED)', async () => {
    const error = await realConnectError(target(await closedPort()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(classify(error)).toMatchObject({
      reason: 'cannot_connect',
      code: 'ESOCKET',
    });
  });

  it('silent socket → timeout (ETIMEOUT)', async () => {
    const server = await startSilentServer();
    try {
      const error = await realConnectError(target(server.port), 300);
      expect(classify(error)).toMatchObject({
        reason: 'timeout',
        code: 'ETIMEOUT',
      });
    } finally {
      await server.close();
    }
  });

  it.each([
    {
      number: 18456,
      message: "Login failed for user 'openamt'.",
      reason: 'auth_failed',
    },
    {
      number: 4060,
      message:
        'Cannot open database "rpsdb" requested by the login. The login failed.',
      reason: 'missing_database',
    },
    {
      number: 916,
      message:
        'The server principal "openamt" is not able to access the database "mpsdb" under the current security context.',
      reason: 'access_denied',
    },
    {
      number: 40613,
      message:
        "Database 'rpsdb' on server 'x' is not currently available. Please retry the connection later.",
      reason: 'starting_up',
    },
    {
      number: 17809,
      message:
        'Could not connect because the maximum number of user connections has already been reached.',
      reason: 'too_many_connections',
    },
  ])(
    'server error $number during login → $reason (ELOGIN)',
    async ({ number, message, reason }) => {
      const server = await startFailingTdsServer({ number, message });
      try {
        const error = await realConnectError(target(server.port));
        expect(error).toMatchObject({ code: 'ELOGIN', message });
        expect(classify(error)).toMatchObject({ reason, code: 'ELOGIN' });
      } finally {
        await server.close();
      }
    },
  );

  it('request errors by number, and unknown errors as error', () => {
    expect(
      classify(
        Object.assign(new Error("Invalid object name 'devices'."), {
          code: 'EREQUEST',
          number: 208,
        }),
      ),
    ).toMatchObject({ reason: 'missing_tables' });
    expect(
      classify(
        Object.assign(new Error('The SELECT permission was denied'), {
          code: 'EREQUEST',
          number: 229,
        }),
      ),
    ).toMatchObject({ reason: 'access_denied' });
    expect(
      classify(new ConnectionError('something odd', 'EDRIVER')),
    ).toMatchObject({ reason: 'error' });
  });

  it('a reset during a TLS login is a TLS error', () => {
    const reset = new ConnectionError(
      'Failed to connect to db:1433 - read ECONNRESET',
      'ESOCKET',
    );
    Object.defineProperty(reset, 'originalError', {
      value: Object.assign(new Error('read ECONNRESET'), {
        code: 'ECONNRESET',
      }),
    });
    expect(classify(reset, true)).toMatchObject({ reason: 'tls_error' });
    expect(classify(reset, false)).toMatchObject({ reason: 'cannot_connect' });
  });
});

describe('MSSQL probe failure paths (real sockets)', () => {
  it('is down with auth_failed against a server that rejects the login, without the password', async () => {
    const server = await startFailingTdsServer({
      number: 18456,
      message: "Login failed for user 'openamt'.",
    });
    try {
      const result = await azureSqlAdapter.probe(
        target(server.port),
        creds,
        probeContext(2000),
      );
      expect(result).toMatchObject({
        status: 'down',
        details: { reason: 'auth_failed', engine: 'Azure SQL Database' },
      });
      expect(JSON.stringify(result)).not.toContain(creds.password);
    } finally {
      await server.close();
    }
  });

  it('is down (unreachable) quickly when the port is closed', async () => {
    const started = Date.now();
    const result = await mssqlAdapter.probe(
      target(await closedPort()),
      creds,
      probeContext(2000),
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
      const result = await mssqlAdapter.probe(
        target(server.port),
        creds,
        probeContext(500),
      );
      expect(result).toMatchObject({
        status: 'down',
        details: { reason: 'timeout' },
      });
      expect(Date.now() - started).toBeLessThan(500 + 250);
    } finally {
      await server.close();
    }
  });
});
