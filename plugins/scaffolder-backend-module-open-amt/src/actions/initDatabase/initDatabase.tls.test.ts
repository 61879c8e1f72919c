/**
 * open-amt:database:init against `verify-full` servers signed by a private CA: a throwaway PostgreSQL (ssl=on,
 * hostssl only) and MariaDB (require_secure_transport), each started for this file with a certificate a CA made
 * here signs. The action verifies with the CA the deployment verifies with (the store entry database.caCertSecret,
 * key `ca`), and without it fails naming the field before anything is created.
 */
import { ConfigReader } from '@backstage/config';
import {
  DeploymentSpecInput,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  closeIdleProbeConnections,
  databaseAdapterFor,
  databaseTargetFromSpec,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  createTestCa,
  startTlsMariadb,
  startTlsPostgres,
  startVaultServer,
  TestCa,
  TlsDatabaseServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import mariadb from 'mariadb';
import { Client } from 'pg';
import { actionContext } from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { secretStoreRendererOf } from '../../render/providers';
import { createProvisionSecretsAction } from '../provisionSecrets/provisionSecrets';
import { createInitDatabaseAction } from './initDatabase';

jest.setTimeout(240_000);
const pid = process.pid;

let vault: VaultContractServer;
let config: ConfigReader;
let ca: TestCa;
let serverTls: { cert: string; key: string };
beforeAll(async () => {
  vault = await startVaultServer();
  config = new ConfigReader({ openAmt: { scaffolder: { timeoutMs: 10_000 } } });
  ca = createTestCa();
  serverTls = ca.issue(['localhost', '127.0.0.1']);
});
afterAll(async () => {
  await vault.close();
  closeIdleProbeConnections();
});

type Engine = 'postgresql' | 'mariadb';

function specOf(
  engine: Engine,
  server: TlsDatabaseServer,
  tag: string,
  over: Partial<DeploymentSpecInput['database']> = {},
): DeploymentSpecInput {
  return specFor(
    { database: engine, secrets: 'vault', gateway: 'kong', target: 'compose' },
    {
      name: `oamt-tls-${
        engine === 'postgresql' ? 'pg' : 'maria'
      }-${tag}-${pid}`,
      environment: 'development',
      database: {
        provider: engine,
        host: server.host,
        port: server.port,
        tlsMode: 'verify-full',
        caCertSecret: `oamt-tls-db-ca-${engine}-${tag}-${pid}`,
        adminUser: server.adminUser,
        rpsDatabase: `oamt_tls_rps_${tag}_${pid}`,
        mpsDatabase: `oamt_tls_mps_${tag}_${pid}`,
        ...over,
      },
      secrets: {
        provider: 'vault',
        address: vault.url,
        mount: 'kv',
        pathPrefix: 'open-amt',
      },
    } as any,
  );
}

/** What the operator does in the runbook: the server's CA bundle in the entry caCertSecret, key `ca`. */
async function storeCa(
  spec: DeploymentSpecInput,
  values: Record<string, string>,
) {
  const parsed = parseDeploymentSpec(spec);
  await secretStoreRendererOf(parsed).adapter.write(
    parsed.secrets,
    { kind: 'vault-token', token: vault.rootToken },
    { [parsed.database.caCertSecret!]: values },
    { rotate: true },
  );
}

async function provision(spec: DeploymentSpecInput) {
  await createProvisionSecretsAction({ config }).handler(
    actionContext({
      input: { spec },
      secrets: { vaultToken: vault.rootToken },
    }).ctx as any,
  );
}

async function init(spec: DeploymentSpecInput) {
  const { ctx, outputs } = actionContext({
    input: { spec },
    secrets: { vaultToken: vault.rootToken, databaseAdminPassword: '' },
  });
  await createInitDatabaseAction({ config }).handler(ctx as any);
  return outputs;
}

const ENGINES: Array<{
  engine: Engine;
  start: typeof startTlsPostgres;
  databases(server: TlsDatabaseServer): Promise<string[]>;
  /** An app login verifying the server with the CA, as the deployment's services do; true when TLS carried it. */
  appLogin(
    server: TlsDatabaseServer,
    user: string,
    password: string,
    database: string,
  ): Promise<boolean>;
}> = [
  {
    engine: 'postgresql',
    start: startTlsPostgres,
    async databases(server) {
      const c = new Client({
        host: server.host,
        port: server.port,
        user: 'postgres',
        database: 'postgres',
        ssl: { ca: ca.ca },
      });
      await c.connect();
      try {
        return (await c.query('SELECT datname FROM pg_database')).rows.map(
          r => r.datname,
        );
      } finally {
        await c.end();
      }
    },
    async appLogin(server, user, password, database) {
      const c = new Client({
        host: server.host,
        port: server.port,
        user,
        password,
        database,
        ssl: { ca: ca.ca, rejectUnauthorized: true },
      });
      await c.connect();
      try {
        const r = await c.query(
          'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
        );
        return r.rows[0]?.ssl === true;
      } finally {
        await c.end();
      }
    },
  },
  {
    engine: 'mariadb',
    start: startTlsMariadb,
    async databases(server) {
      const c = await mariadb.createConnection({
        host: server.host,
        port: server.port,
        user: 'root',
        password: '',
        ssl: { ca: ca.ca, rejectUnauthorized: true },
      });
      try {
        return (await c.query('SHOW DATABASES')).map((r: any) => r.Database);
      } finally {
        await c.end();
      }
    },
    async appLogin(server, user, password, database) {
      const c = await mariadb.createConnection({
        host: server.host,
        port: server.port,
        user,
        password,
        database,
        ssl: { ca: ca.ca, rejectUnauthorized: true },
      });
      try {
        const [row] = await c.query("SHOW STATUS LIKE 'Ssl_cipher'");
        return Boolean(row?.Value);
      } finally {
        await c.end();
      }
    },
  },
];

describe.each(ENGINES)(
  'open-amt:database:init, verify-full against a private CA ($engine)',
  ({ engine, start, databases, appLogin }) => {
    let server: TlsDatabaseServer;
    beforeAll(async () => {
      server = await start(serverTls);
    });
    afterAll(async () => {
      await server?.stop();
    });

    const nothingCreated = async (spec: DeploymentSpecInput) => {
      const names = await databases(server);
      expect(names).not.toContain(spec.database.rpsDatabase);
      expect(names).not.toContain(spec.database.mpsDatabase);
    };

    it('fails naming caCertSecret, before any change, when the entry is missing, lacks `ca` or holds no certificate', async () => {
      const spec = specOf(engine, server, 'noentry');
      await provision(spec);
      await expect(init(spec)).rejects.toThrow(
        /^spec\.database\.caCertSecret: the store entry oamt-tls-db-ca-\S+ does not exist/,
      );
      await storeCa(spec, { pem: ca.ca });
      await expect(init(spec)).rejects.toThrow(
        /^spec\.database\.caCertSecret: .* has no key `ca`/,
      );
      await storeCa(spec, { ca: 'not a certificate' });
      await expect(init(spec)).rejects.toThrow(
        /^spec\.database\.caCertSecret: key `ca` of \S+ holds no PEM certificate/,
      );
      await nothingCreated(spec);
    });

    it('fails naming caCertSecret when the entry holds another CA, or the spec names none (the measured UNABLE_TO_VERIFY_LEAF_SIGNATURE)', async () => {
      const other = specOf(engine, server, 'otherca');
      await provision(other);
      await storeCa(other, { ca: createTestCa('another CA').ca });
      await expect(init(other)).rejects.toThrow(
        /^spec\.database\.caCertSecret: the database server's certificate is not signed by the CA in \S+ .*UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      );
      await nothingCreated(other);

      const none = specOf(engine, server, 'noca', { caCertSecret: undefined });
      await provision(none);
      await expect(init(none)).rejects.toThrow(
        /^spec\.database\.caCertSecret: the database server's certificate is not signed by a CA of the default trust store \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
      );
      await nothingCreated(none);
    });

    it('with the CA the deployment verifies with, initialises over verify-full, and a second run changes nothing', async () => {
      const spec = specOf(engine, server, 'ok');
      await provision(spec);
      await storeCa(spec, { ca: ca.ca });
      const first = await init(spec);
      expect(first.changes).toBeGreaterThan(0);
      expect(await databases(server)).toEqual(
        expect.arrayContaining([
          spec.database.rpsDatabase,
          spec.database.mpsDatabase,
        ]),
      );
      expect(await init(spec)).toMatchObject({ changes: 0 });
      // The MPS login the action created works over TLS, verified with the same CA (what MPS itself will do).
      const parsed = parseDeploymentSpec(spec);
      const entry = vault.state.kv[
        `kv/open-amt/${parsed.name}-db-mps`
      ].versions.at(-1)!.data as Record<string, string>;
      await expect(
        appLogin(
          server,
          entry.user,
          entry.password,
          parsed.database.mpsDatabase,
        ),
      ).resolves.toBe(true);

      // The health engine's database probe takes its CA from the probe entry (DeploymentProber: `ca:
      // credentials.databaseCa`): init put the same CA there, and the real probe verifies the server with it.
      const probeEntry = vault.state.kv[
        `kv/open-amt/${parsed.name}-probe`
      ].versions.at(-1)!.data as Record<string, string>;
      expect(probeEntry.databaseCa).toBe(ca.ca);
      const target = databaseTargetFromSpec(
        parsed.database,
        server.port,
        parsed.toolkitRelease,
      );
      const probe = (trust?: string) =>
        databaseAdapterFor(engine).probe(
          { ...target, ca: trust },
          { user: probeEntry.dbUser, password: probeEntry.dbPassword },
          {
            timeoutMs: 10_000,
            guard: { assertAllowed: async () => undefined },
          },
        );
      // TLS verified with it (MariaDB's probe, on the MPS login, also reports the RPS database it cannot reach).
      const verified = await probe(probeEntry.databaseCa);
      expect(verified.details).toMatchObject({
        tls: { inUse: true, verified: true },
      });
      // Without it the probe cannot verify the server (as before: nothing wrote databaseCa).
      const unverified = await probe(undefined);
      expect(unverified).toMatchObject({
        status: 'down',
        details: { reason: 'tls_error' },
      });
      // A rotation rebuilds the probe entry; the init that sets the rotated passwords puts the CA back.
      await createProvisionSecretsAction({ config }).handler(
        actionContext({
          input: { spec, rotate: true },
          secrets: { vaultToken: vault.rootToken },
        }).ctx as any,
      );
      await init(spec);
      const rotated = vault.state.kv[
        `kv/open-amt/${parsed.name}-probe`
      ].versions.at(-1)!.data as Record<string, string>;
      expect(rotated.dbPassword).not.toBe(probeEntry.dbPassword);
      expect(rotated.databaseCa).toBe(ca.ca);
    });
  },
);
