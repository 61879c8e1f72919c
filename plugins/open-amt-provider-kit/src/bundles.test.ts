import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOOLKIT_V2_37_0 } from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from '@open-amt-backstage/plugin-open-amt-node';
import {
  createTestCertificate,
  startAwsServer,
  startKeyVaultServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { KIT_BUNDLES, KitBundle, KitService } from './bundles';
import { buildBundles, BundleManifest } from './build';
import { kitBundleContent } from './content';
import { KIT_ENTRIES, kitEntryOf } from './entries';
import { createFakeHost, FakeHost } from './__testUtils__/fakeHost';
import { startManagedIdentityEndpoint } from './__testUtils__/managedIdentity';
import { createTestDatabase, testDatabaseName } from './__testUtils__/mariadb';

/**
 * Every registered provider bundle, built and imported the way the services' factories import it (fake host tree,
 * child node), against the real local MariaDB and the stores' contract servers.
 */
const id = (b: KitBundle) => `${b.service}/${b.kind}/${b.name}`;

/** The interfaces' members (mps src/interfaces/{IDb,ISecretManagerService}.ts, rps src/interfaces/
 * {database/IDb,ISecretManagerService}.ts, at both tags of each; RPS v2.39.4 adds the two proxy tables). */
const MEMBERS: Record<KitService, Record<'data' | 'secrets', string[]>> = {
  mps: {
    data: ['devices', 'query'],
    secrets: [
      'getSecretFromKey',
      'getSecretAtPath',
      'getAMTCredentials',
      'getMPSCerts',
      'writeSecretWithObject',
      'deleteSecretAtPath',
      'health',
    ],
  },
  rps: {
    data: [
      'ciraConfigs',
      'domains',
      'profiles',
      'wirelessProfiles',
      'profileWirelessConfigs',
      'ieee8021xProfiles',
      'proxyConfigs',
      'profileProxyConfigs',
      'query',
    ],
    secrets: [
      'getSecretFromKey',
      'getSecretAtPath',
      'writeSecretWithObject',
      'deleteSecretAtPath',
      'health',
    ],
  },
};

const membersScenario = (names: string[]) =>
  `return Object.fromEntries(${JSON.stringify(
    names,
  )}.map(n => [n, typeof provider[n]]));`;

/** Insert, read back, insert again: the duplicate must be the host's error class (the routes test instanceof). */
const ROUND_TRIP: Record<KitService, string> = {
  rps: `
    const domain = { profileName: 'kit-' + crypto.randomUUID().slice(0, 8), domainSuffix: 'kit.example.com',
      provisioningCert: 'cert', provisioningCertStorageFormat: 'string', provisioningCertPassword: 'pw',
      expirationDate: new Date('2030-01-01T00:00:00Z'), tenantId: '' };
    await provider.domains.insert(domain);
    const read = await provider.domains.getByName(domain.profileName, '');
    const count = await provider.query('SELECT COUNT(*) AS n FROM domains');
    try { await provider.domains.insert(domain); return { read: read?.profileName, duplicate: 'none' }; }
    catch (e) { return { read: read?.profileName, expected: domain.profileName, count: count != null,
      duplicate: { name: e.name, hostClass: e instanceof host.HostError } }; }`,
  mps: `
    const guid = crypto.randomUUID();
    const device = { guid, hostname: 'kit-host', tags: ['a'], mpsInstance: null, connectionStatus: false,
      mpsusername: 'admin', tenantId: '', friendlyName: 'kit', dnsSuffix: 'kit.example.com', deviceInfo: null };
    await provider.devices.insert(device);
    const read = await provider.devices.getById(guid, '');
    const count = await provider.query('SELECT COUNT(*) AS n FROM devices');
    try { await provider.devices.insert(device); return { read: read?.guid, duplicate: 'none' }; }
    catch (e) { return { read: read?.guid, expected: guid, count: count != null,
      duplicate: { name: e.name, hostClass: e instanceof host.HostError } }; }`,
};

/** Where each data engine runs here; null: not executable on this machine (said in the closing note). */
const DATA_ENGINES: Record<string, 'mariadb' | null> = {
  mariadb: 'mariadb',
  mssql: null,
};

/** Connection strings of the portal's format; the members check constructs the provider without using it. */
const UNUSED_CONNECTION = {
  mariadb: 'mariadb://root:@127.0.0.1:3306/kit_none?ssl=false&sslVerify=false',
  mssql:
    'mssql://sa:pw@127.0.0.1:1433/kit_none?encrypt=false&trustServerCertificate=true',
};

interface StoreRun {
  config: Record<string, unknown>;
  env: Record<string, string>;
  loopbackHosts?: string[];
  close(): Promise<void>;
}

/** Each secrets store's contract server, and the service configuration and environment pointing at it. */
const SECRET_STORES: Record<string, () => Promise<StoreRun>> = {
  'aws-secrets-manager': async () => {
    const aws = await startAwsServer({ region: 'eu-west-1' });
    return {
      config: {
        vault_address: aws.url,
        secrets_path: 'kit-test-',
        aws_region: 'eu-west-1',
        aws_kms_key_id: aws.keyId,
      },
      env: {
        AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
      },
      close: () => aws.close(),
    };
  },
  'azure-key-vault': async () => {
    const host = 'kit-test.vault.azure.net';
    const kv = await startKeyVaultServer({
      tls: createTestCertificate(['localhost', '127.0.0.1', host]),
    });
    const identity = await startManagedIdentityEndpoint(kv.token);
    const caFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'kit-kv-')),
      'ca.pem',
    );
    fs.writeFileSync(caFile, kv.ca ?? '');
    return {
      config: {
        vault_address: `https://${host}:${new URL(kv.url).port}`,
        secrets_path: 'kit-test-',
      },
      env: { ...identity.env, NODE_EXTRA_CA_CERTS: caFile },
      loopbackHosts: [host],
      close: async () => {
        await identity.close();
        await kv.close();
      },
    };
  },
};

// Builds (esbuild over the SDKs) and child processes on a loaded 2-core box: generous limits, no timing asserts.
jest.setTimeout(120_000);

describe('provider bundles', () => {
  const registered = KIT_BUNDLES.filter(b => kitEntryOf(b));
  let out: string;
  let manifest: BundleManifest;
  const hosts = {} as Record<KitService, FakeHost>;

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-bundles-'));
    manifest = await buildBundles({ outDir: out });
    for (const service of ['mps', 'rps'] as const) {
      hosts[service] = createFakeHost(service);
    }
  });
  afterAll(() => {
    for (const h of Object.values(hosts)) h.remove();
    fs.rmSync(out, { recursive: true, force: true });
  });

  const install = (b: KitBundle) => {
    const built = manifest.bundles.find(m => id(m) === id(b));
    if (!built) throw new Error(`${id(b)} was not built`);
    hosts[b.service].install(b, path.join(out, built.path));
  };

  it('has a provider for every bundle the kit promises', () => {
    expect(KIT_BUNDLES.filter(x => !kitEntryOf(x)).map(id)).toEqual([]);
  });

  it('builds every registered bundle and records its size and sha256', () => {
    expect(manifest.bundles.map(id).sort()).toEqual(registered.map(id).sort());
    for (const m of manifest.bundles) {
      expect(fs.statSync(path.join(out, m.path)).size).toBe(m.bytes);
    }
  });

  for (const b of registered)
    describe(`${id(b)}`, () => {
      if (b.kind === 'data') {
        it("exposes the interface's members when loaded through the factory", async () => {
          install(b);
          const result = await hosts[b.service].run({
            bundle: b,
            arg: UNUSED_CONNECTION[DATA_ENGINES[b.name] ?? 'mssql'],
            scenario: membersScenario(MEMBERS[b.service].data),
          });
          expect(result).toMatchObject({
            ok: true,
            value: Object.fromEntries(
              MEMBERS[b.service].data.map(m => [
                m,
                m === 'query' ? 'function' : 'object',
              ]),
            ),
          });
        }, 60_000);
      }

      if (b.kind === 'secrets' && SECRET_STORES[b.name]) {
        it("exposes the interface's members and answers health() against the contract server, failing when the store is gone", async () => {
          install(b);
          const store = await SECRET_STORES[b.name]();
          const run = (scenario: string) =>
            hosts[b.service].run({
              bundle: b,
              config: store.config,
              env: store.env,
              loopbackHosts: store.loopbackHosts,
              scenario,
            });
          const health = 'return await provider.health();';
          try {
            expect(
              await run(membersScenario(MEMBERS[b.service].secrets)),
            ).toMatchObject({
              ok: true,
              value: Object.fromEntries(
                MEMBERS[b.service].secrets.map(m => [m, 'function']),
              ),
            });
            expect(await run(health)).toMatchObject({ ok: true });
          } finally {
            await store.close();
          }
          expect(await run(health)).toMatchObject({ ok: false });
        }, 60_000);
      }

      if (b.kind === 'data' && DATA_ENGINES[b.name] === 'mariadb') {
        it('queries, inserts and reads back on MariaDB; the duplicate is the host error class', async () => {
          install(b);
          const names = {
            rpsDatabase: testDatabaseName(),
            mpsDatabase: testDatabaseName(),
            toolkitRelease: TOOLKIT_V2_37_0.id,
          };
          const scripts = databaseAdapters.mariadb.schemaSql(names);
          const db = await createTestDatabase(
            scripts[b.service],
            names[`${b.service}Database`],
          );
          try {
            const result = await hosts[b.service].run({
              bundle: b,
              arg: db.url,
              scenario: ROUND_TRIP[b.service],
            });
            expect(result).toMatchObject({ ok: true });
            const value = (result as { value: Record<string, unknown> }).value;
            expect(value.read).toBe(value.expected);
            expect(value.duplicate).toEqual({
              name: expect.any(String),
              hostClass: true,
            });
          } finally {
            await db.drop();
          }
        }, 60_000);
      }
    });

  it('kitBundleContent serves what the build produces, and refuses an unknown provider', async () => {
    await expect(
      kitBundleContent({ service: 'rps', kind: 'data', name: 'nope' }),
    ).rejects.toThrow(/no data provider "nope" for rps/);
    const first = manifest.bundles[0];
    if (!first) return; // nothing registered yet
    const served = await kitBundleContent(first);
    expect(served.equals(fs.readFileSync(path.join(out, first.path)))).toBe(
      true,
    );
  });

  it('registers each bundle at most once', () => {
    expect(new Set(KIT_ENTRIES.map(e => id(e.bundle))).size).toBe(
      KIT_ENTRIES.length,
    );
  });
});
