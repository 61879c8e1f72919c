/**
 * open-amt:secrets:rotate against a Vault contract server and the real local PostgreSQL (127.0.0.1:5432) and MariaDB
 * (127.0.0.1:3306, root without password). The local PostgreSQL trusts 127.0.0.1 (any password logs in), so there the
 * proof is the server's own SCRAM verifier in pg_authid (what it checks a password against under scram-sha-256);
 * MariaDB checks passwords, so there the proof is a real login with the old and the new one. Each
 * deployment is provisioned and initialised by the real actions first; the System comes from the real catalog-info
 * renderer. Databases and users carry the process id and are dropped afterwards.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { DeploymentSpecInput } from '@open-amt-backstage/plugin-open-amt-common';
import { closeIdleProbeConnections } from '@open-amt-backstage/plugin-open-amt-node';
import {
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import mariadb from 'mariadb';
import { Client } from 'pg';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { scramVerifierMatches } from '../../../../open-amt-node/src/databases/passwords';
import {
  actionContext,
  CheckpointStore,
} from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { buildCatalogEntities } from '../../render/catalogInfo';
import {
  builtInRenderProviders,
  RenderProviders,
} from '../../render/providers';
import { createInitDatabaseAction } from '../initDatabase/initDatabase';
import { createProvisionSecretsAction } from '../provisionSecrets/provisionSecrets';
import { parseSpecInput } from '../specInput';
import { createRotateSecretsAction } from './rotateSecrets';

jest.setTimeout(120_000);
const pid = process.pid;
type Engine = 'postgresql' | 'mariadb';

describe('open-amt:secrets:rotate', () => {
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

  const short = (e: Engine) => (e === 'postgresql' ? 'pg' : 'maria');
  const specOf = (e: Engine): DeploymentSpecInput =>
    specFor(
      { database: e, secrets: 'vault', gateway: 'kong', target: 'compose' },
      {
        name: `oamt-rot-${short(e)}-${pid}`,
        environment: 'development',
        database: {
          provider: e,
          host: '127.0.0.1',
          port: e === 'postgresql' ? 5432 : 3306,
          tlsMode: 'disable',
          adminUser: e === 'postgresql' ? 'postgres' : 'root',
          rpsDatabase: `oamt_rot_${short(e)}_rps_${pid}`,
          mpsDatabase: `oamt_rot_${short(e)}_mps_${pid}`,
        },
        secrets: {
          provider: 'vault',
          address: vault?.url ?? 'http://vault.invalid',
          mount: 'kv',
          pathPrefix: 'open-amt',
        },
      } as any,
    );
  const adminPassword = (e: Engine) =>
    e === 'postgresql' ? 'unused-with-trust' : '';
  const secretsOf = (e: Engine) => ({
    vaultToken: vault.rootToken,
    databaseAdminPassword: adminPassword(e),
  });

  /** The catalog as the module sees it: the System the render action wrote for this spec. */
  const catalogWith = (spec: DeploymentSpecInput) => {
    const system = buildCatalogEntities(parseSpecInput(spec)).find(
      e => e.kind === 'System',
    )!;
    return {
      ref: `system:default/${system.metadata.name}`,
      catalog: {
        getEntityByRef: async (ref: string) =>
          ref === `system:default/${system.metadata.name}` ? system : undefined,
      } as any,
    };
  };

  const entry = (name: string) => {
    const versions = vault.state.kv[`kv/open-amt/${name}`]?.versions ?? [];
    return {
      count: versions.length,
      data: versions[versions.length - 1]?.data as Record<string, string>,
    };
  };
  const KINDS = ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe'];
  const snapshot = (spec: DeploymentSpecInput) =>
    Object.fromEntries(KINDS.map(k => [k, entry(`${spec.name}-${k}`)]));

  async function setUp(e: Engine) {
    const spec = specOf(e);
    await createProvisionSecretsAction({ config }).handler(
      actionContext({ input: { spec }, secrets: secretsOf(e) }).ctx as any,
    );
    await createInitDatabaseAction({ config }).handler(
      actionContext({ input: { spec }, secrets: secretsOf(e) }).ctx as any,
    );
    return spec;
  }

  async function rotate(
    spec: DeploymentSpecInput,
    e: Engine,
    input: Record<string, unknown> = {},
    over: {
      providers?: RenderProviders;
      secrets?: Record<string, string>;
      isDryRun?: boolean;
      checkpoints?: CheckpointStore;
    } = {},
  ) {
    const { ref, catalog } = catalogWith(spec);
    const { ctx, outputs, logLines } = actionContext({
      input: {
        deployment: ref,
        databaseAdminUser: e === 'postgresql' ? 'postgres' : 'root',
        ...input,
      },
      secrets: over.secrets ?? secretsOf(e),
      isDryRun: over.isDryRun,
      checkpoints: over.checkpoints,
    });
    await createRotateSecretsAction({
      catalog,
      auth: mockServices.auth(),
      config,
      providers: over.providers,
    }).handler(ctx as any);
    return { outputs, logLines };
  }

  /** True when the server accepts this password for the login now (see the file comment for PostgreSQL). */
  async function acceptsPassword(
    e: Engine,
    db: string,
    user: string,
    password: string,
  ) {
    try {
      if (e === 'postgresql') {
        const c = new Client({
          host: '127.0.0.1',
          port: 5432,
          user: 'postgres',
          database: db,
        });
        await c.connect();
        try {
          const r = await c.query(
            'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
            [user],
          );
          return scramVerifierMatches(r.rows[0]?.rolpassword, password);
        } finally {
          await c.end();
        }
      } else {
        const c = await mariadb.createConnection({
          host: '127.0.0.1',
          port: 3306,
          user,
          password,
          database: db,
        });
        await c.end();
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Faults in the store or the database adapter, for "fails in the middle" (the action itself is unchanged). */
  function faulty(fault: {
    storeWriteFails?: (name: string) => boolean;
    databaseFails?: boolean;
  }): RenderProviders {
    const base = builtInRenderProviders();
    const store = base.secretStores.vault;
    const pg = base.databases.postgresql;
    return {
      ...base,
      secretStores: {
        ...base.secretStores,
        vault: {
          ...store,
          adapter: {
            ...store.adapter,
            write: async (s, a, entries, o) => {
              if (Object.keys(entries).some(n => fault.storeWriteFails?.(n)))
                throw new Error('permission denied');
              return store.adapter.write(s, a, entries, o);
            },
          },
        },
      },
      databases: {
        ...base.databases,
        postgresql: {
          ...pg,
          adapter: {
            ...pg.adapter,
            setPasswords: async (t, a, u) => {
              if (fault.databaseFails) throw new Error('connection reset');
              return pg.adapter.setPasswords!(t, a, u);
            },
          },
        },
      },
    };
  }

  const allValues = (snap: ReturnType<typeof snapshot>) =>
    Object.values(snap).flatMap(s =>
      Object.entries(s.data ?? {})
        .filter(([k]) => /password|secret|Password|connectionString/.test(k))
        .map(([, v]) => v),
    );

  describe('PostgreSQL', () => {
    const e: Engine = 'postgresql';
    // Names are known at collection time; the store's address only once it runs (beforeAll).
    let spec = specOf(e);
    const parsed = parseSpecInput(spec);
    const pgAdmin = async (sql: string) => {
      const c = new Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: 'postgres',
      });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
    beforeAll(async () => {
      spec = await setUp(e);
    });
    afterAll(async () => {
      for (const db of [
        parsed.database.rpsDatabase,
        parsed.database.mpsDatabase,
      ])
        await pgAdmin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      for (const u of ['mps', 'rps', 'probe'])
        await pgAdmin(
          `DROP ROLE IF EXISTS "${spec.name.replace(/-/g, '_')}_${u}"`,
        );
    });

    it('dry-run changes nothing and lists entries, logins and restarts', async () => {
      const before = snapshot(spec);
      const { outputs } = await rotate(spec, e, {}, { isDryRun: true });
      expect(snapshot(spec)).toEqual(before);
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          before['db-mps'].data.user,
          before['db-mps'].data.password,
        ),
      ).toBe(true);
      expect((outputs.entries as any[]).map(x => x.ref)).toEqual(
        KINDS.map(k => `vault:kv/open-amt/${spec.name}-${k}`),
      );
      expect(outputs.databaseUsers).toEqual([
        before['db-mps'].data.user,
        before['db-rps'].data.user,
        before.probe.data.dbUser,
      ]);
      expect(
        (outputs.restart as any).steps.map((s: any) => s.workload),
      ).toEqual(['mps', 'mpsrouter', 'rps', 'kong']);
    });

    it('writes new versions, changes the passwords (old refused, new accepted) and keeps values out of outputs and logs', async () => {
      const before = snapshot(spec);
      const { outputs, logLines } = await rotate(spec, e);
      const after = snapshot(spec);
      for (const k of KINDS) expect(after[k].count).toBe(before[k].count + 1);
      expect(after.jwt.data.secret).not.toBe(before.jwt.data.secret);
      expect(after.jwt.data.key).toBe(before.jwt.data.key);
      expect(after.mpsweb.data.password).not.toBe(before.mpsweb.data.password);
      expect(after.probe.data.mpsPassword).toBe(after.mpsweb.data.password);
      for (const [k, db] of [
        ['db-mps', parsed.database.mpsDatabase],
        ['db-rps', parsed.database.rpsDatabase],
      ]) {
        const old = before[k].data;
        const now = after[k].data;
        expect(now.connectionString).toBe(
          old.connectionString.replace(
            `:${old.password}@`,
            `:${now.password}@`,
          ),
        );
        expect(await acceptsPassword(e, db, old.user, old.password)).toBe(
          false,
        );
        expect(await acceptsPassword(e, db, now.user, now.password)).toBe(true);
      }
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          after.probe.data.dbUser,
          before.probe.data.dbPassword,
        ),
      ).toBe(false);
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          after.probe.data.dbUser,
          after.probe.data.dbPassword,
        ),
      ).toBe(true);
      expect((outputs.entries as any[]).map(x => x.version)).toEqual(
        KINDS.map(k => String(after[k].count)),
      );
      const text = JSON.stringify(outputs) + logLines.join('\n');
      for (const v of [...allValues(before), ...allValues(after)])
        expect(text).not.toContain(v);
      expect(outputs.restartMarkdown).toContain(
        'docker compose up -d --force-recreate --no-deps mps',
      );
    });

    it('a store that refuses a write: no database password changed, the re-run completes', async () => {
      const before = snapshot(spec);
      await expect(
        rotate(
          spec,
          e,
          {},
          {
            providers: faulty({ storeWriteFails: n => n.endsWith('-db-rps') }),
          },
        ),
      ).rejects.toThrow(
        /db-rps could not be written .*no database password was changed\. Do not restart/,
      );
      const mid = snapshot(spec);
      expect(mid['db-rps']).toEqual(before['db-rps']);
      // db-mps has a new version the server does not accept yet: the database was not touched.
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          before['db-mps'].data.user,
          before['db-mps'].data.password,
        ),
      ).toBe(true);
      await rotate(spec, e);
      const after = snapshot(spec);
      for (const [k, db] of [
        ['db-mps', parsed.database.mpsDatabase],
        ['db-rps', parsed.database.rpsDatabase],
      ])
        expect(
          await acceptsPassword(
            e,
            db,
            after[k].data.user,
            after[k].data.password,
          ),
        ).toBe(true);
    });

    it('a database that fails after the store was written: the retried task sets what the store holds', async () => {
      const checkpoints = new CheckpointStore();
      const before = snapshot(spec);
      await expect(
        rotate(
          spec,
          e,
          {},
          { providers: faulty({ databaseFails: true }), checkpoints },
        ),
      ).rejects.toThrow(
        /have new versions, but changing the database passwords .* failed .*run the rotation again/,
      );
      const mid = snapshot(spec);
      expect(mid['db-mps'].count).toBe(before['db-mps'].count + 1);
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          mid['db-mps'].data.user,
          mid['db-mps'].data.password,
        ),
      ).toBe(false);
      // The same task retried: its store checkpoints hold, so no further versions; the database gets the stored values.
      await rotate(spec, e, {}, { checkpoints });
      const after = snapshot(spec);
      expect(after['db-mps']).toEqual(mid['db-mps']);
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          after['db-mps'].data.user,
          after['db-mps'].data.password,
        ),
      ).toBe(true);
      expect(
        await acceptsPassword(
          e,
          parsed.database.rpsDatabase,
          after['db-rps'].data.user,
          after['db-rps'].data.password,
        ),
      ).toBe(true);
    });

    it('rotates only the chosen entries: jwt alone touches no database and restarts mps then kong', async () => {
      const before = snapshot(spec);
      const { outputs } = await rotate(spec, e, { rotate: ['jwt'] });
      const after = snapshot(spec);
      expect(after.jwt.count).toBe(before.jwt.count + 1);
      for (const k of KINDS.filter(x => x !== 'jwt'))
        expect(after[k]).toEqual(before[k]);
      expect(outputs.databaseUsers).toEqual([]);
      expect(
        (outputs.restart as any).steps.map((s: any) => s.workload),
      ).toEqual(['mps', 'kong']);
    });

    /* eslint-disable jest/expect-expect */
    describe('bad input fails naming the field before any change', () => {
      // Each case asserts inside `unchanged`: the error, then that the store and the database are as before.
      const unchanged = async (
        run: () => Promise<unknown>,
        message: RegExp,
      ) => {
        const before = snapshot(spec);
        await expect(run()).rejects.toThrow(message);
        expect(snapshot(spec)).toEqual(before);
        expect(
          await acceptsPassword(
            e,
            parsed.database.mpsDatabase,
            before['db-mps'].data.user,
            before['db-mps'].data.password,
          ),
        ).toBe(true);
      };
      it('an unknown entry', () =>
        unchanged(
          () => rotate(spec, e, { rotate: ['jwt', 'vault-tokens'] }),
          /^rotate: vault-tokens is not an entry that rotates/,
        ));
      it('a System the catalog does not have', () =>
        unchanged(
          () => rotate(spec, e, { deployment: 'system:default/nope' }),
          /^deployment: the catalog has no system:default\/nope/,
        ));
      it('no administrator password', () =>
        unchanged(
          () =>
            rotate(spec, e, {}, { secrets: { vaultToken: vault.rootToken } }),
          /^secrets\.databaseAdminPassword is required/,
        ));
      it('no store token', () =>
        unchanged(
          () =>
            rotate(spec, e, {}, { secrets: { databaseAdminPassword: 'x' } }),
          /secrets\.vaultToken is required/,
        ));
      it('a refused administrator login', () =>
        unchanged(
          () => rotate(spec, e, { databaseAdminUser: 'no_such_admin' }),
          /^databaseAdminUser or secrets\.databaseAdminPassword: 127\.0\.0\.1:5432 refused the administrator login/,
        ));
      it('an entry bound to another database', async () => {
        const name = `${spec.name}-db-rps`;
        const bound = entry(name).data;
        await vault.state.kv[`kv/open-amt/${name}`].versions.push({
          ...vault.state.kv[`kv/open-amt/${name}`].versions.at(-1)!,
          data: {
            ...bound,
            boundDatabaseEndpoint: 'elsewhere.example.com:5432',
          },
        } as any);
        try {
          await unchanged(
            () => rotate(spec, e),
            /^open-amt\.io\/database-endpoint: the login in vault:kv\/open-amt\/.*-db-rps was made for elsewhere\.example\.com:5432/,
          );
        } finally {
          vault.state.kv[`kv/open-amt/${name}`].versions.pop();
        }
      });
    });
  });

  describe('MariaDB', () => {
    const e: Engine = 'mariadb';
    // Names are known at collection time; the store's address only once it runs (beforeAll).
    let spec = specOf(e);
    const parsed = parseSpecInput(spec);
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
    beforeAll(async () => {
      spec = await setUp(e);
    });
    afterAll(async () => {
      for (const db of [
        parsed.database.rpsDatabase,
        parsed.database.mpsDatabase,
      ])
        await root(`DROP DATABASE IF EXISTS \`${db}\``);
      for (const u of ['mps', 'rps'])
        await root(
          `DROP USER IF EXISTS '${spec.name.replace(/-/g, '_')}_${u}'@'%'`,
        );
    });

    it('changes db-mps on the server, and the probe (which logs in as the MPS user) follows', async () => {
      const before = snapshot(spec);
      const { outputs } = await rotate(spec, e, { rotate: ['db-mps'] });
      const after = snapshot(spec);
      const old = before['db-mps'].data;
      const now = after['db-mps'].data;
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          old.user,
          old.password,
        ),
      ).toBe(false);
      expect(
        await acceptsPassword(
          e,
          parsed.database.mpsDatabase,
          now.user,
          now.password,
        ),
      ).toBe(true);
      expect(after.probe.data.dbPassword).toBe(now.password);
      expect(after['db-rps']).toEqual(before['db-rps']);
      expect(outputs.databaseUsers).toEqual([now.user]);
      expect(
        (outputs.restart as any).steps.map((s: any) => s.workload),
      ).toEqual(['mps', 'mpsrouter']);
    });
  });
});
