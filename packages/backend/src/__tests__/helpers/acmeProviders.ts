/*
 * A worked example of what an adopter writes to add a database, a gateway and a secrets store of their own (say,
 * behind custom MPS/RPS images): per provider one registry entry, one scaffolder renderer and one open-amt-node
 * adapter (both carrying the entry, which the portal's picker and health card read from GET /api/open-amt/providers),
 * handed over by two backend modules. addedProviders.test.ts renders, provisions and probes a deployment
 * with them. The store keeps its entries in memory and the database answers from memory: stand-ins for the
 * adopter's real clients.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  DatabaseProviderInfo,
  DeploymentSpec,
  GatewayProviderInfo,
  gatewaySpecSection,
  httpUrl,
  REQUIRED_GATEWAY_ROUTES,
  SecretsProviderInfo,
  secretsSpecSection,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  AnyDatabaseAdapter,
  AnyGatewayAdapter,
  DatabaseCredentials,
  databaseAdapters,
  openAmtProvidersExtensionPoint,
  SecretStoreAdapter,
  SecretStoreAuth,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  DatabaseRenderer,
  GatewayRenderer,
  gatewayUpstreamHost,
  openAmtScaffolderProvidersExtensionPoint,
  SecretStoreRenderer,
  secretEntryName,
  upstreamUrl,
} from '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt';

// ---------- registry entries (what common holds for the built-ins) ----------

/** A PostgreSQL-compatible service: the common database section (host, port, TLS) and the postgres engine. */
export const acmeDatabaseInfo: DatabaseProviderInfo<'acme-db'> = {
  id: 'acme-db',
  kind: 'database',
  label: 'Acme DB',
  supportLevel: 'custom',
  implication: 'Needs MPS/RPS images built with an Acme IDB provider.',
  docsUrl: 'https://db.acme.example.com/docs',
  engine: 'postgres',
  defaultPort: 7777,
  mpsDbProvider: 'acme-db',
  setupSteps: ['Enable the `citext` extension in the Acme DB console.'],
};

const acmeGatewaySpec = gatewaySpecSection('acme-gateway', zod => ({
  tenant: zod.string().regex(/^[a-z][a-z0-9-]{2,30}$/, 'must be a tenant id'),
}));

export const acmeGatewayInfo: GatewayProviderInfo<'acme-gateway'> = {
  id: 'acme-gateway',
  kind: 'gateway',
  label: 'Acme Edge',
  supportLevel: 'native',
  implication: 'A managed edge in front of the services, per tenant.',
  docsUrl: 'https://edge.acme.example.com/docs',
  spec: acmeGatewaySpec,
  carriesWebsockets: true,
  runsBesideServices: false,
  servesPublicTls: false,
  carriesCiraTcp: false,
  extraLoadBalancers: ['Acme L4 listener passing TCP 4433 through to MPS'],
};

const acmeSecretsSpec = secretsSpecSection('acme-secrets', zod => ({
  url: httpUrl,
  bucket: zod
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('open-amt'),
}));
type AcmeSecretsSpec = ReturnType<typeof acmeSecretsSpec.parse>;

export const acmeSecretsInfo: SecretsProviderInfo<'acme-secrets'> = {
  id: 'acme-secrets',
  kind: 'secrets',
  label: 'Acme Secrets',
  supportLevel: 'custom',
  mpsSecretsProvider: 'acme-secrets',
  implication: 'Needs MPS/RPS images built with an Acme ISecretManagerService.',
  docsUrl: 'https://secrets.acme.example.com/docs',
  spec: acmeSecretsSpec,
};

/** The spec's own section of each provider, typed (the union type only knows the built-ins). */
const acmeGateway = (spec: DeploymentSpec) =>
  acmeGatewaySpec.parse(spec.gateway);
const acmeSecrets = (spec: DeploymentSpec) =>
  acmeSecretsSpec.parse(spec.secrets);

// ---------- open-amt-node adapters (probe, read, write) ----------

/** The adopter's store client, here an in-memory bucket map; `calls` lets the test see who asked with what. */
export function acmeSecretStoreAdapter() {
  const entries = new Map<string, Record<string, string>>();
  const calls = { probes: [] as string[], tokens: [] as string[] };
  const key = (spec: AcmeSecretsSpec, name: string) => `${spec.bucket}/${name}`;
  const tokenOf = (auth: SecretStoreAuth) =>
    auth.kind === 'custom'
      ? (auth.credential as { token: string }).token
      : `(${auth.kind})`;
  const adapter: SecretStoreAdapter<
    AcmeSecretsSpec,
    { url: string; token: string }
  > = {
    provider: 'acme-secrets',
    info: acmeSecretsInfo,
    refFor: (spec, name) => `acme-secrets:${key(spec, name)}`,
    async probe(spec, auth) {
      calls.probes.push(spec.url);
      calls.tokens.push(tokenOf(auth));
      return {
        status: 'healthy',
        latencyMs: 1,
        message: `Acme store ${spec.url} answered.`,
      };
    },
    async write(spec, auth, values, { rotate }) {
      calls.tokens.push(tokenOf(auth));
      return Object.entries(values).map(([name, value]) => {
        const written = rotate || !entries.has(key(spec, name));
        if (written) entries.set(key(spec, name), value);
        return { ref: `acme-secrets:${key(spec, name)}`, written };
      });
    },
    async read(spec, _auth, name) {
      return entries.get(key(spec, name));
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
          credential: { token: config.token },
        }),
      }),
    },
    taskAuth(secrets) {
      if (!secrets?.acmeToken) throw new Error('secrets.acmeToken is required');
      return { kind: 'custom', credential: { token: secrets.acmeToken } };
    },
  };
  return { adapter, entries, calls };
}

/** Speaks PostgreSQL's dialect, so the schema is PostgreSQL's; the probe is the adopter's own. */
export function acmeDatabaseAdapter() {
  const calls: {
    host: string;
    port: number;
    credentials: DatabaseCredentials;
  }[] = [];
  const adapter: AnyDatabaseAdapter = {
    provider: 'acme-db',
    info: acmeDatabaseInfo,
    engine: 'postgres',
    defaultPort: 7777,
    schemaSql: options => databaseAdapters.postgresql.schemaSql(options),
    async probe(target, credentials) {
      calls.push({ host: target.host, port: target.port, credentials });
      return {
        status: 'healthy',
        message: `Acme DB ${target.host}:${target.port} answers.`,
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

export function acmeGatewayAdapter() {
  const calls: string[] = [];
  const adapter: AnyGatewayAdapter = {
    provider: 'acme-gateway',
    info: acmeGatewayInfo,
    async probe(url, expected) {
      calls.push(url);
      return {
        status: 'healthy',
        message: `Acme Edge ${url} serves ${expected.length} routes.`,
      };
    },
  };
  return { adapter, calls };
}

// ---------- scaffolder renderers (files, wiring, runbook) ----------

export const acmeGatewayRenderer: GatewayRenderer = {
  info: acmeGatewayInfo,
  files: spec => [
    {
      path: 'gateway/acme/routes.json',
      content: `${JSON.stringify(
        {
          tenant: acmeGateway(spec).tenant,
          host: spec.gateway.publicHost,
          routes: REQUIRED_GATEWAY_ROUTES.map(route => ({
            path: route.path,
            jwt: route.jwt,
            upstream: upstreamUrl(
              gatewayUpstreamHost(spec, route.upstream.service),
              route,
            ),
          })),
        },
        null,
        2,
      )}\n`,
    },
  ],
  probeUrl: spec =>
    `https://edge.acme.example.com/tenants/${acmeGateway(spec).tenant}/health`,
  runbookSteps: spec => [
    `Upload \`gateway/acme/routes.json\` to tenant \`${
      acmeGateway(spec).tenant
    }\` in the Acme Edge console.`,
  ],
};

export function acmeSecretStoreRenderer(
  adapter: SecretStoreAdapter<AcmeSecretsSpec, any>,
): SecretStoreRenderer {
  const entryKey = (
    spec: DeploymentSpec,
    entry: Parameters<typeof secretEntryName>[1],
  ) => `${acmeSecrets(spec).bucket}/${secretEntryName(spec, entry)}`;
  return {
    info: acmeSecretsInfo,
    adapter: adapter as SecretStoreRenderer['adapter'],
    address: spec => acmeSecrets(spec).url,
    runtimeSecretsPath: spec => `${acmeSecrets(spec).bucket}/${spec.name}`,
    endpointAnnotation: spec => acmeSecrets(spec).url,
    mountAnnotation: spec => acmeSecrets(spec).bucket,
    inputField: () => 'spec.secrets.url',
    bootstrap: spec => [
      {
        path: 'secrets-store/acme/README.md',
        content: `Create bucket \`${acmeSecrets(spec).bucket}\` at ${
          acmeSecrets(spec).url
        }.\n`,
      },
    ],
    externalSecretsProvider: spec => ({
      webhook: {
        url: `${acmeSecrets(spec).url}/v1/entries/{{ .remoteRef.key }}`,
        result: { jsonPath: '$.value' },
      },
    }),
    remoteKey: entryKey,
    readCommand: (spec, entry) =>
      `acme-cli get --url '${acmeSecrets(spec).url}' '${entryKey(
        spec,
        entry,
      )}'`,
  };
}

// ---------- the two backend modules an adopter installs ----------

export function acmeScaffolderModule(parts: {
  database: DatabaseRenderer;
  store: SecretStoreRenderer;
}) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'open-amt-acme',
    register(env) {
      env.registerInit({
        deps: { providers: openAmtScaffolderProvidersExtensionPoint },
        async init({ providers }) {
          providers.addDatabase(parts.database);
          providers.addGateway(acmeGatewayRenderer);
          providers.addSecretStore(parts.store);
        },
      });
    },
  });
}

export function acmeHealthModule(adapters: {
  database: AnyDatabaseAdapter;
  store: SecretStoreAdapter<AcmeSecretsSpec, any>;
  gateway: AnyGatewayAdapter;
}) {
  return createBackendModule({
    pluginId: 'open-amt',
    moduleId: 'acme',
    register(env) {
      env.registerInit({
        deps: { providers: openAmtProvidersExtensionPoint },
        async init({ providers }) {
          providers.addDatabase(adapters.database);
          providers.addSecretStore(adapters.store);
          providers.addGateway(adapters.gateway);
        },
      });
    },
  });
}
