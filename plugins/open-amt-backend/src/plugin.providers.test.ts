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
  DatabaseProviderInfo,
  DeploymentHealth,
  deploymentEntityRef,
  GatewayProviderInfo,
  gatewaySpecSection,
  listProviders,
  PROBE_BINDING_KEYS,
  probeEntryName,
  ProviderRegistryAnswer,
  SecretsProviderInfo,
  secretsSpecSection,
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

/** The adopter's registry entries: the objects its scaffolder renderers would carry as `info` too. */
const acmeSecretsInfo: SecretsProviderInfo<'acme-secrets'> = {
  id: 'acme-secrets',
  kind: 'secrets',
  label: 'Acme Secrets',
  supportLevel: 'custom',
  implication: 'Needs MPS/RPS images built with an Acme secrets provider.',
  notVerified: 'the Acme store was only tried against its sandbox.',
  docsUrl: 'https://secrets.acme.example.com/docs',
  spec: secretsSpecSection('acme-secrets', zod => ({ url: zod.string() })),
  mpsSecretsProvider: 'acme-secrets',
};
// An edge in front of unchanged upstream images: its module calls it native, and the health rows must agree.
const acmeGatewayInfo: GatewayProviderInfo<'acme-gateway'> = {
  id: 'acme-gateway',
  kind: 'gateway',
  label: 'Acme Edge',
  supportLevel: 'native',
  implication: 'A managed edge in front of the services.',
  limitation: 'Acme Edge drops WebSocket connections after 10 minutes.',
  docsUrl: 'https://edge.acme.example.com/docs',
  spec: gatewaySpecSection('acme-gateway', () => ({})),
  carriesWebsockets: true,
  runsBesideServices: false,
  servesPublicTls: false,
  carriesCiraTcp: false,
  extraLoadBalancers: [],
};
const acmeDatabaseInfo: DatabaseProviderInfo<'acme-db'> = {
  id: 'acme-db',
  kind: 'database',
  label: 'Acme DB',
  supportLevel: 'custom',
  implication: 'Needs MPS/RPS images built with an Acme IDB provider.',
  docsUrl: 'https://db.acme.example.com/docs',
  engine: 'postgres',
  defaultPort: 7777,
  mpsDbProvider: 'acme-db',
};

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
      info: acmeSecretsInfo,
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
    info: acmeGatewayInfo,
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
    info: acmeDatabaseInfo,
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
      supportLevel: 'native',
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

  const providersOf = async (server: any) => {
    const res = await request(server)
      .get('/api/open-amt/providers')
      .set({ Authorization: mockCredentials.user.header() });
    expect(res.status).toBe(200);
    return res.body as ProviderRegistryAnswer;
  };

  it('serves the added providers beside the built-ins at /providers, as their entries state them', async () => {
    const { backend: started } = start([
      providersModule({
        secretStores: [acmeStore({}).adapter],
        gateways: [acmeGateway().adapter],
        databases: [acmeDatabase().adapter],
      }),
    ]);
    const backend = await started;
    const providers = await providersOf(backend.server);
    expect(providers.database.map(p => p.id)).toEqual([
      ...listProviders('database').map(p => p.id),
      'acme-db',
    ]);
    expect(providers.database.at(-1)).toEqual({
      id: 'acme-db',
      kind: 'database',
      label: 'Acme DB',
      supportLevel: 'custom',
      implication: 'Needs MPS/RPS images built with an Acme IDB provider.',
      docsUrl: 'https://db.acme.example.com/docs',
    });
    expect(providers.secrets.find(p => p.id === 'acme-secrets')).toEqual({
      id: 'acme-secrets',
      kind: 'secrets',
      label: 'Acme Secrets',
      supportLevel: 'custom',
      implication: 'Needs MPS/RPS images built with an Acme secrets provider.',
      notVerified: 'the Acme store was only tried against its sandbox.',
      docsUrl: 'https://secrets.acme.example.com/docs',
    });
    expect(providers.gateway.find(p => p.id === 'acme-gateway')).toMatchObject({
      label: 'Acme Edge',
      supportLevel: 'native',
      limitation: 'Acme Edge drops WebSocket connections after 10 minutes.',
    });
    // A built-in as common's registry states it, without its spec schema or checks.
    expect(providers.secrets[0]).toMatchObject({
      id: 'vault',
      label: listProviders('secrets')[0].label,
    });
    expect(Object.keys(providers.gateway[0])).not.toContain('spec');

    // Anyone signed in (a user or a service) reads it; an anonymous caller does not.
    const service = await request(backend.server)
      .get('/api/open-amt/providers')
      .set({ Authorization: mockCredentials.service.header() });
    expect(service.status).toBe(200);
    const anonymous = await request(backend.server)
      .get('/api/open-amt/providers')
      .set({ Authorization: mockCredentials.none.header() });
    expect(anonymous.status).toBe(401);
    await backend.stop();
  });

  it('serves only the built-ins at /providers without the module', async () => {
    const backend = await start().backend;
    const providers = await providersOf(backend.server);
    const ids = Object.values(providers).flatMap(list => list.map(p => p.id));
    expect(ids).not.toContain('acme-db');
    expect(providers.gateway.map(p => p.id)).toEqual(
      listProviders('gateway').map(p => p.id),
    );
    await backend.stop();
  });

  it('refuses to start when an added adapter has no registry entry, naming it', async () => {
    const { info: _dropped, ...bare } = acmeGateway().adapter;
    await expect(
      start([providersModule({ gateways: [bare] })]).backend,
    ).rejects.toThrow(
      /gateway adapter "acme-gateway" has no registry entry: set its info/,
    );
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
