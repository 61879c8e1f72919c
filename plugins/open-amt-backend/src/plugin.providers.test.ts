/*
 * Adding a provider is one object: a backend module hands the plugin a gateway adapter and a secrets store adapter
 * through openAmtProvidersExtensionPoint, and a deployment whose annotations name them is probed through them (its
 * probe credentials read through the store's locate() and read(), the portal's identity from its own config section).
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentHealth,
  deploymentEntityRef,
  PROBE_BINDING_KEYS,
  probeEntryName,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  AnyDatabaseAdapter,
  AnyGatewayAdapter,
  DatabaseCredentials,
  DatabaseTarget,
  openAmtProvidersExtensionPoint,
  SecretStoreAdapter,
  SecretStoreAuth,
} from '@open-amt-backstage/plugin-open-amt-node';
import { manualScheduler } from '@open-amt-backstage/plugin-open-amt-test-utils';
import request from 'supertest';
import { openAmtPlugin } from './plugin';
import { SWEEP_TASK_ID } from './services/createHealthServices';

jest.setTimeout(60_000);

const NAME = 'acme-test';
const STORE_URL = 'https://secrets.acme.example.com';

/** The adopter's store: a bucket at a URL; references are `acme-secrets:<bucket>/<name>`. */
interface AcmeSpec {
  provider: 'acme-secrets';
  url: string;
  bucket: string;
}

function acmeStore(entries: Record<string, Record<string, string>>) {
  const calls = {
    probes: [] as { spec: AcmeSpec; auth: SecretStoreAuth }[],
    reads: [] as string[],
  };
  const adapter: SecretStoreAdapter<AcmeSpec, { url: string; token: string }> =
    {
      provider: 'acme-secrets',
      refFor: (spec, name) => `acme-secrets:${spec.bucket}/${name}`,
      async probe(spec, auth) {
        calls.probes.push({ spec, auth });
        return {
          status: 'healthy',
          latencyMs: 3,
          message: `Acme store ${spec.url} answered (fake adapter).`,
          details: { fake: 'acme-secrets' },
        };
      },
      async write() {
        return [];
      },
      async read(_spec, _auth, name) {
        calls.reads.push(name);
        return entries[name];
      },
      specFromAnnotations: ({ endpoint, mount }) => ({
        provider: 'acme-secrets',
        url: endpoint,
        bucket: mount ?? 'open-amt',
      }),
      locate(ref, config) {
        const [bucket, name] = ref.slice('acme-secrets:'.length).split('/');
        if (!bucket || !name)
          throw new Error(`"${ref}" is not acme-secrets:<bucket>/<name>`);
        return {
          spec: {
            provider: 'acme-secrets',
            url: config?.url ?? 'unknown',
            bucket,
          },
          name,
        };
      },
      portalIdentity: {
        configKey: 'acme',
        readConfig: section => ({
          url: section.getString('url'),
          token: section.getString('token'),
        }),
        refusal: (store, config) =>
          config?.url === store.url
            ? undefined
            : `${store.url} is not openAmt.health.secretStores.acme.url`,
        credentials: config => ({
          authFor: async () => ({
            kind: 'custom',
            credential: { apiKey: config.token },
          }),
        }),
      },
    };
  return { adapter, calls };
}

function acmeGateway() {
  const calls: { url: string; routes: number }[] = [];
  const adapter: AnyGatewayAdapter = {
    provider: 'acme-gateway',
    async probe(url, expected) {
      calls.push({ url, routes: expected.length });
      return {
        status: 'degraded',
        message: `Acme gateway ${url} (fake adapter) misses one route.`,
        details: { fake: 'acme-gateway' },
      };
    },
  };
  return { adapter, calls };
}

/** The adopter's database: probe only (this test provisions nothing). */
function acmeDatabase() {
  const calls: { target: DatabaseTarget; credentials: DatabaseCredentials }[] =
    [];
  const adapter: AnyDatabaseAdapter = {
    provider: 'acme-db',
    engine: 'postgres',
    defaultPort: 7777,
    schemaSql: () => ({ engine: 'postgres', rps: '', mps: '' }),
    async probe(target, credentials) {
      calls.push({ target, credentials });
      return {
        status: 'healthy',
        message: `Acme DB ${target.host}:${target.port} (fake adapter) answers.`,
        details: { fake: 'acme-db' },
      };
    },
    initialize: async () => ({
      createdDatabases: [],
      createdUsers: [],
      changes: [],
    }),
  };
  return { adapter, calls };
}

function providersModule(adapters: {
  secretStores?: SecretStoreAdapter<any, any>[];
  gateways?: AnyGatewayAdapter[];
  databases?: AnyDatabaseAdapter[];
}) {
  return createBackendModule({
    pluginId: 'open-amt',
    moduleId: 'acme-providers',
    register(env) {
      env.registerInit({
        deps: { providers: openAmtProvidersExtensionPoint },
        async init({ providers }) {
          providers.addSecretStore(...(adapters.secretStores ?? []));
          providers.addGateway(...(adapters.gateways ?? []));
          providers.addDatabase(...(adapters.databases ?? []));
        },
      });
    },
  });
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: NAME,
    namespace: 'default',
    annotations: {
      'open-amt.io/deployment': NAME,
      'open-amt.io/target': 'compose',
      'open-amt.io/secrets-provider': 'acme-secrets',
      'open-amt.io/secrets-endpoint': STORE_URL,
      'open-amt.io/secrets-mount': 'fleet',
      'open-amt.io/gateway-provider': 'acme-gateway',
      'open-amt.io/gateway-url': 'https://gateway.acme.example.com',
      'open-amt.io/database-provider': 'acme-db',
      'open-amt.io/database-endpoint': 'db.acme.example.com',
      'open-amt.io/database-tls-mode': 'require',
      'open-amt.io/credentials-ref': `acme-secrets:fleet/${probeEntryName(
        NAME,
      )}`,
    },
  },
  spec: { owner: 'group:default/platform' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
};

describe('providers added through openAmtProvidersExtensionPoint', () => {
  function start(
    features: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const { scheduler, factory: schedulerFactory } = manualScheduler();
    const backend = startTestBackend({
      features: [
        openAmtPlugin,
        ...features,
        mockServices.logger.factory(),
        schedulerFactory,
        mockServices.rootConfig.factory({
          data: {
            openAmt: {
              health: {
                jitterMs: 0,
                timeoutMs: 3000,
                secretStores: {
                  acme: { url: STORE_URL, token: 'portal-acme-token' },
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
      ],
    });
    return { backend, scheduler };
  }

  it('probes a deployment through the added gateway, secrets store and database', async () => {
    const store = acmeStore({
      [probeEntryName(NAME)]: {
        databaseUser: 'probe',
        databasePassword: 'acme-probe-password',
        [PROBE_BINDING_KEYS.entityRef]: deploymentEntityRef(NAME),
        [PROBE_BINDING_KEYS.secretsEndpoint]: STORE_URL,
        [PROBE_BINDING_KEYS.databaseEndpoint]: 'db.acme.example.com:7777',
        [PROBE_BINDING_KEYS.databaseTlsMode]: 'require',
      },
    });
    const gateway = acmeGateway();
    const database = acmeDatabase();
    const { backend: started, scheduler } = start([
      providersModule({
        secretStores: [store.adapter],
        gateways: [gateway.adapter],
        databases: [database.adapter],
      }),
    ]);
    const backend = await started;

    await scheduler.triggerTask(SWEEP_TASK_ID);

    const res = await request(backend.server)
      .get(`/api/open-amt/deployments/default/${NAME}`)
      .set({ Authorization: mockCredentials.user.header() });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.body as DeploymentHealth).components.map(c => [c.component, c]),
    );
    expect(byId.secrets).toMatchObject({
      provider: 'acme-secrets',
      supportLevel: 'custom',
      status: 'healthy',
      message: `Acme store ${STORE_URL} answered (fake adapter).`,
      details: { fake: 'acme-secrets' },
    });
    expect(byId.gateway).toMatchObject({
      provider: 'acme-gateway',
      supportLevel: 'custom',
      status: 'degraded',
      details: { fake: 'acme-gateway' },
    });
    // The store was probed at the annotated address with the portal's own identity from openAmt.health.secretStores.acme.
    expect(store.calls.probes).toEqual([
      {
        spec: { provider: 'acme-secrets', url: STORE_URL, bucket: 'fleet' },
        auth: { kind: 'custom', credential: { apiKey: 'portal-acme-token' } },
      },
    ]);
    // The deployment's bound probe entry was read through the store adapter (locate() then read()).
    expect(store.calls.reads).toContain(probeEntryName(NAME));
    expect(gateway.calls).toEqual([
      { url: 'https://gateway.acme.example.com', routes: expect.any(Number) },
    ]);
    expect(gateway.calls[0].routes).toBeGreaterThan(0);
    // The database: its default port for an endpoint without one, the login from the entry the store adapter read.
    expect(byId.database).toMatchObject({
      provider: 'acme-db',
      supportLevel: 'custom',
      status: 'healthy',
      message: 'Acme DB db.acme.example.com:7777 (fake adapter) answers.',
    });
    expect(database.calls).toEqual([
      {
        target: expect.objectContaining({
          host: 'db.acme.example.com',
          port: 7777,
          tlsMode: 'require',
        }),
        credentials: { user: 'probe', password: 'acme-probe-password' },
      },
    ]);
    await backend.stop();
  });

  it('lists the annotations as unknown providers without the module', async () => {
    const { backend: started, scheduler } = start();
    const backend = await started;
    await scheduler.triggerTask(SWEEP_TASK_ID);
    const res = await request(backend.server)
      .get(`/api/open-amt/deployments/default/${NAME}`)
      .set({ Authorization: mockCredentials.user.header() });
    const byId = Object.fromEntries(
      (res.body as DeploymentHealth).components.map(c => [c.component, c]),
    );
    expect(byId.secrets).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/unknown provider "acme-secrets"/),
    });
    expect(byId.database).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/unknown provider "acme-db"/),
    });
    expect(byId.gateway).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/unknown provider "acme-gateway"/),
    });
    await backend.stop();
  });

  it('refuses to start when an added id is a built-in one, naming it', async () => {
    const kong: AnyGatewayAdapter = {
      provider: 'kong',
      probe: async () => ({ status: 'healthy', message: 'not the real Kong' }),
    };
    await expect(
      start([providersModule({ gateways: [kong] })]).backend,
    ).rejects.toThrow(/gateway adapter "kong" clashes with a built-in gateway/);
    const vault = {
      ...acmeStore({}).adapter,
      provider: 'vault',
    } as unknown as SecretStoreAdapter<any, any>;
    await expect(
      start([providersModule({ secretStores: [vault] })]).backend,
    ).rejects.toThrow(/secrets store adapter "vault" clashes with a built-in/);
  });
});
