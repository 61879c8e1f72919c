/**
 * open-amt:database:init against the real local PostgreSQL (127.0.0.1:5432, trust) and MariaDB
 * (127.0.0.1:3306, root without password), twice each; app passwords come from a Vault contract server
 * the provision action filled. Databases and users carry the process id and are dropped afterwards.
 */
import { ConfigReader } from '@backstage/config';
import {
  DeploymentSpecInput,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import { closeIdleProbeConnections } from '@open-amt-backstage/plugin-open-amt-node';
import {
  findClosedPortUrl,
  recordingAuditor,
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import mariadb from 'mariadb';
import { Client } from 'pg';
import { actionContext } from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { appUserName } from '../../secrets/connectionString';
import { createProvisionSecretsAction } from '../provisionSecrets/provisionSecrets';
import { createInitDatabaseAction } from './initDatabase';

jest.setTimeout(120_000);
const pid = process.pid;

describe('open-amt:database:init', () => {
  let vault: VaultContractServer;
  let config: ConfigReader;
  beforeAll(async () => {
    vault = await startVaultServer();
    config = new ConfigReader({ openAmt: { scaffolder: { timeoutMs: 5000 } } });
  });
  afterAll(async () => {
    await vault.close();
    closeIdleProbeConnections();
  });

  const specOf = (
    database: 'postgresql' | 'mariadb',
    over: Partial<DeploymentSpecInput['database']> = {},
  ): DeploymentSpecInput =>
    specFor(
      { database, secrets: 'vault', gateway: 'kong', target: 'compose' },
      {
        name: `oamt-init-${database === 'postgresql' ? 'pg' : 'maria'}-${pid}`,
        environment: 'development',
        database: {
          provider: database,
          host: '127.0.0.1',
          port: database === 'postgresql' ? 5432 : 3306,
          tlsMode: 'disable',
          adminUser: database === 'postgresql' ? 'postgres' : 'root',
          rpsDatabase: `oamt_init_rps_${pid}`,
          mpsDatabase: `oamt_init_mps_${pid}`,
          ...over,
        },
        // Names are known at collection time; the address only once the server runs.
        secrets: {
          provider: 'vault',
          address: vault?.url ?? 'http://vault.invalid',
          mount: 'kv',
          pathPrefix: 'open-amt',
        },
      } as any,
    );

  async function provision(spec: DeploymentSpecInput) {
    await createProvisionSecretsAction({ config }).handler(
      actionContext({
        input: { spec },
        secrets: { vaultToken: vault.rootToken },
      }).ctx as any,
    );
  }

  async function init(
    spec: DeploymentSpecInput,
    adminPassword = 'unused-with-trust',
    extraInput: { checkOnly?: boolean } = {},
  ) {
    const { ctx, outputs, logLines } = actionContext({
      input: { spec, ...extraInput },
      secrets: {
        vaultToken: vault.rootToken,
        databaseAdminPassword: adminPassword,
      },
    });
    const { auditor, events } = recordingAuditor();
    await createInitDatabaseAction({ config, auditor }).handler({
      ...ctx,
      user: { ref: 'user:default/alice' },
    } as any);
    return { outputs, logLines, auditEvents: events };
  }

  describe('PostgreSQL', () => {
    const parsed = parseDeploymentSpec(specOf('postgresql'));
    const admin = async (sql: string, database = 'postgres') => {
      const c = new Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database,
      });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
    afterAll(async () => {
      for (const db of [
        parsed.database.rpsDatabase,
        parsed.database.mpsDatabase,
      ])
        await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      for (const u of [appUserName(parsed, 'mps'), appUserName(parsed, 'rps')])
        await admin(`DROP ROLE IF EXISTS "${u}"`);
    });

    it('creates databases, schema and users, then changes nothing on a second run', async () => {
      const spec = specOf('postgresql');
      await provision(spec);
      const first = await init(spec);
      expect(first.outputs.createdDatabases).toEqual(
        expect.arrayContaining([
          parsed.database.rpsDatabase,
          parsed.database.mpsDatabase,
        ]),
      );
      expect(first.outputs.createdUsers).toEqual(
        expect.arrayContaining([
          appUserName(parsed, 'mps'),
          appUserName(parsed, 'rps'),
        ]),
      );
      expect(first.outputs.changes).toBeGreaterThan(0);
      const tables = await admin(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        parsed.database.rpsDatabase,
      );
      expect(tables.map(t => t.tablename)).toEqual(
        expect.arrayContaining(['ciraconfigs', 'profiles', 'domains']),
      );
      // Audited: who, which engine, host and databases, then what was created (severity high: logins and grants).
      expect(first.auditEvents).toEqual([
        {
          options: {
            eventId: 'database-init',
            severityLevel: 'high',
            meta: {
              deployment: parsed.name,
              engine: 'postgresql',
              host: '127.0.0.1',
              port: 5432,
              databases: [
                parsed.database.rpsDatabase,
                parsed.database.mpsDatabase,
              ],
              actor: 'user:default/alice',
            },
          },
          outcome: { type: 'success', meta: { ...first.outputs } },
        },
      ]);

      const second = await init(spec);
      expect(second.outputs).toEqual({
        createdDatabases: [],
        createdUsers: [],
        changes: 0,
      });

      // The app user logs in with the password from the store, into its own database.
      const entry = vault.state.kv[
        `kv/open-amt/${parsed.name}-db-mps`
      ].versions.at(-1)!.data as Record<string, string>;
      const app = new Client({
        connectionString: entry.connectionString.replace('sslmode=disable', ''),
      });
      await app.connect();
      await expect(
        app.query('SELECT count(*) FROM devices'),
      ).resolves.toBeDefined();
      await app.end();
      expect(
        JSON.stringify(first.outputs) +
          first.logLines.join('\n') +
          JSON.stringify(first.auditEvents),
      ).not.toContain(entry.password);
    });
  });

  describe('MariaDB', () => {
    const parsed = parseDeploymentSpec(specOf('mariadb'));
    const root = async (sql: string) => {
      const c = await mariadb.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
      });
      try {
        return await c.query(sql);
      } finally {
        await c.end();
      }
    };
    afterAll(async () => {
      for (const db of [
        parsed.database.rpsDatabase,
        parsed.database.mpsDatabase,
      ])
        await root(`DROP DATABASE IF EXISTS \`${db}\``);
      for (const u of [appUserName(parsed, 'mps'), appUserName(parsed, 'rps')])
        await root(`DROP USER IF EXISTS '${u}'@'%'`);
    });

    it('creates databases, schema and users, then changes nothing on a second run', async () => {
      const spec = specOf('mariadb');
      await provision(spec);
      const first = await init(spec, '');
      expect(first.outputs.changes).toBeGreaterThan(0);
      const tables = await root(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${parsed.database.mpsDatabase}'`,
      );
      expect(tables.map((r: any) => r.t)).toContain('devices');
      const second = await init(spec, '');
      expect(second.outputs.changes).toBe(0);
    });

    const neverCreated = () =>
      specOf('mariadb', {
        rpsDatabase: `oamt_never_${pid}`,
        mpsDatabase: `oamt_never_m_${pid}`,
      });
    const neverCreatedSchemas = () =>
      root(
        `SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('oamt_never_${pid}', 'oamt_never_m_${pid}')`,
      );

    it('refuses a wrong administrator password in one sentence naming the field, before reading or changing anything', async () => {
      const wrong = 'Wr0ng-admin-pass!';
      // Not provisioned: the login is checked before the app users are read from the store.
      for (const checkOnly of [true, false]) {
        const error = await init(neverCreated(), wrong, { checkOnly }).catch(
          e => e,
        );
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(
          /^Administrator user or password \(spec\.database\.adminUser, secrets\.databaseAdminPassword\): the database server at 127\.0\.0\.1:3306 refused the login of root: .*Access denied.*\. Check the user name and the password\.$/s,
        );
        expect(error.message).not.toContain(wrong);
      }
      expect(await neverCreatedSchemas()).toEqual([]);
    });

    it('checkOnly: a good login passes and changes nothing', async () => {
      const { outputs, logLines } = await init(neverCreated(), '', {
        checkOnly: true,
      });
      expect(outputs.changes).toBe(0);
      expect(logLines.join('\n')).toMatch(
        /accepts the administrator login of root; nothing changed/,
      );
      expect(await neverCreatedSchemas()).toEqual([]);
    });
  });

  it('fails naming the field, before any change, when the database cannot be reached', async () => {
    const port = Number(new URL(await findClosedPortUrl()).port);
    const spec = specOf('postgresql', {
      port,
      rpsDatabase: `oamt_never_${pid}`,
      mpsDatabase: `oamt_never_m_${pid}`,
    });
    await provision(spec);
    await expect(init(spec)).rejects.toThrow(/spec\.database\.host/);
  });

  it('refuses an unknown PostgreSQL administrator naming the field, before any change', async () => {
    const spec = specOf('postgresql', {
      adminUser: `oamt_nobody_${pid}`,
      rpsDatabase: `oamt_never_${pid}`,
      mpsDatabase: `oamt_never_m_${pid}`,
    });
    await expect(init(spec, 'x', { checkOnly: true })).rejects.toThrow(
      new RegExp(
        `^Administrator user or password .*: the database server at 127\\.0\\.0\\.1:5432 refused the login of oamt_nobody_${pid}: .*\\. Check the user name and the password\\.$`,
        's',
      ),
    );
  });

  it('never sends an app password to a database it was not provisioned for', async () => {
    const on = (host: string) => ({
      ...specOf('postgresql', {
        host,
        rpsDatabase: `oamt_never_${pid}`,
        mpsDatabase: `oamt_never_m_${pid}`,
      }),
      name: `oamt-init-moved-${pid}`,
    });
    await provision(on('localhost'));
    // The same deployment pointed at another server without provisioning again: refused before any change.
    await expect(init(on('127.0.0.1'))).rejects.toThrow(
      /^Host \(spec\.database\.host\): the password in oamt-init-moved-\d+-db-mps was made for localhost:5432, not 127\.0\.0\.1:5432; run open-amt:secrets:provision/,
    );
    const c = new Client({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
    await c.connect();
    try {
      const { rows } = await c.query(
        'SELECT datname FROM pg_database WHERE datname = ANY($1)',
        [[`oamt_never_${pid}`, `oamt_never_m_${pid}`]],
      );
      expect(rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('requires the admin password as a task secret and the app users in the store', async () => {
    const spec = specOf('postgresql', {
      rpsDatabase: `oamt_never_${pid}`,
      mpsDatabase: `oamt_never_m_${pid}`,
    });
    const { ctx } = actionContext({
      input: { spec },
      secrets: { vaultToken: vault.rootToken },
    });
    await expect(
      createInitDatabaseAction({ config }).handler(ctx as any),
    ).rejects.toThrow(/secrets\.databaseAdminPassword/);
    const unprovisioned = { ...spec, name: `oamt-unprovisioned-${pid}` };
    await expect(init(unprovisioned)).rejects.toThrow(
      /open-amt:secrets:provision first/,
    );
  });
});
