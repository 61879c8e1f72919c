/*
 * Adding a provider is one object per side and no fork: an adopter's two modules (helpers/acmeProviders.ts) add a
 * database, a gateway and a secrets store through openAmtScaffolderProvidersExtensionPoint and openAmtProvidersExtensionPoint.
 * The template's actions then render and provision a deployment naming them, and the health engine probes the
 * catalog-info.yaml they wrote through the added adapters — with nothing else in the tree knowing the two ids.
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
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import openAmtPlugin from '@open-amt-backstage/plugin-open-amt-backend';
import {
  DeploymentHealth,
  gatewaySpecSection,
  probeEntryName,
  ProviderRegistryAnswer,
} from '@open-amt-backstage/plugin-open-amt-common';
import scaffolderModuleOpenAmt, {
  openAmtScaffolderProvidersExtensionPoint,
} from '@open-amt-backstage/plugin-scaffolder-backend-module-open-amt';
import fs from 'node:fs';
import path from 'node:path';
import { manualScheduler } from '@open-amt-backstage/plugin-open-amt-test-utils';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import {
  acmeDatabaseAdapter,
  acmeDatabaseInfo,
  acmeGatewayAdapter,
  acmeGatewayRenderer,
  acmeHealthModule,
  acmeScaffolderModule,
  acmeSecretStoreAdapter,
  acmeSecretStoreRenderer,
} from './helpers/acmeProviders';

jest.setTimeout(60_000);

const NAME = 'acme-fleet';
const STORE_URL = 'https://secrets.acme.example.com';
/** The health plugin's sweep task (open-amt-backend createHealthServices). */
const SWEEP_TASK_ID = 'open-amt-health-sweep';

const spec = (overrides: Record<string, unknown> = {}) => ({
  name: NAME,
  owner: 'group:default/platform',
  environment: 'production',
  fqdn: 'mps.acme.example.com',
  target: 'compose',
  images: {
    mps: 'registry.acme.example.com/mps-acme:v2.34.1-a1',
    rps: 'registry.acme.example.com/rps-acme:v2.39.4-a1',
  },
  database: {
    provider: 'acme-db',
    host: 'db.acme.example.com',
    tlsMode: 'require',
  },
  secrets: { provider: 'acme-secrets', url: STORE_URL, bucket: 'fleet' },
  gateway: {
    provider: 'acme-gateway',
    publicHost: 'oamt.acme.example.com',
    tenant: 'acme-prod',
  },
  ...overrides,
});

/** The Open AMT actions as the scaffolder would get them, with the given modules beside the Open AMT one. */
async function scaffolderActions(features: any[]) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...added: any[]) => actions.push(...added) },
      ],
    ],
    features: [scaffolderModuleOpenAmt, ...features],
  });
  const byId = (id: string) => {
    const action = actions.find(a => a.id === id);
    if (!action) throw new Error(`no action ${id}`);
    return action;
  };
  return {
    render: byId('open-amt:deployment:render'),
    provision: byId('open-amt:secrets:provision'),
  };
}

function run(
  action: TemplateAction<any, any, any>,
  input: Record<string, any>,
  options: { workspacePath?: string; secrets?: Record<string, string> } = {},
) {
  const outputs: Record<string, any> = {};
  const ctx = createMockActionContext({
    input,
    secrets: options.secrets,
    workspacePath: options.workspacePath,
  });
  ctx.output = ((name: string, value: unknown) => {
    outputs[name] = value;
  }) as any;
  return { ctx, outputs, done: action.handler(ctx as any) };
}

function acmeModule(
  store: ReturnType<typeof acmeSecretStoreAdapter>,
  database: ReturnType<typeof acmeDatabaseAdapter>,
) {
  return acmeScaffolderModule({
    database: { info: acmeDatabaseInfo, adapter: database.adapter },
    store: acmeSecretStoreRenderer(store.adapter),
  });
}

describe('a database, a gateway and a secrets store added by an adopter module', () => {
  it('are rendered, provisioned and probed through their objects only', async () => {
    const store = acmeSecretStoreAdapter();
    const gateway = acmeGatewayAdapter();
    const database = acmeDatabaseAdapter();
    const { render, provision } = await scaffolderActions([
      acmeModule(store, database),
    ]);

    // Render: the generic renderers iterate over what the two objects return.
    const rendered = run(render, { spec: spec() });
    await rendered.done;
    const root = rendered.ctx.workspacePath;
    const read = (file: string) =>
      fs.readFileSync(path.join(root, file), 'utf8');
    expect(rendered.outputs.files).toEqual(
      expect.arrayContaining([
        'gateway/acme/routes.json',
        'secrets-store/acme/README.md',
        'database/postgres/rpsdb.sql',
        'docker-compose.yml',
        'scripts/resolve-secrets.sh',
      ]),
    );
    expect(rendered.outputs.supportLevels).toMatchObject({
      database: 'custom',
      secrets: 'custom',
      gateway: 'native',
    });
    // A gateway outside the VM reaches the services at internal.<fqdn>, and the relay goes through mps-router.
    const routes = JSON.parse(read('gateway/acme/routes.json'));
    expect(routes.tenant).toBe('acme-prod');
    expect(routes.routes).toContainEqual({
      path: '/mps/ws/relay',
      jwt: false,
      upstream: 'http://internal.mps.acme.example.com:8003/relay',
    });
    // Not beside the services: no gateway container in compose; MPS/RPS get the store's address and provider id.
    const compose = parseAllDocuments(read('docker-compose.yml'))[0].toJS();
    expect(Object.keys(compose.services)).not.toContain('acme-gateway');
    expect(compose.services.mps.environment).toMatchObject({
      MPS_DB_PROVIDER: 'acme-db',
      MPS_SECRETS_PROVIDER: 'acme-secrets',
      MPS_VAULT_ADDRESS: STORE_URL,
    });
    expect(read('scripts/resolve-secrets.sh')).toContain(
      `acme-cli get --url '${STORE_URL}' 'fleet/${NAME}-jwt'`,
    );
    const runbook = read('README.md');
    expect(runbook).toContain('Acme Edge');
    expect(runbook).toContain('Upload `gateway/acme/routes.json`');
    expect(runbook).toContain('Acme L4 listener passing TCP 4433');
    expect(runbook).toContain('Enable the `citext` extension');
    // The adopter's own providers: not this project's kit, so the images they named must contain them.
    expect(runbook).toContain('## Your own providers (required)');
    expect(runbook).toContain(
      'A database provider implementing `IDB` for Acme DB, selected by `db_provider` = `acme-db`',
    );
    expect(runbook).toContain(
      '`ISecretManagerService` (getSecretFromKey, getSecretAtPath, writeSecretWithObject, deleteSecretAtPath, health) for Acme Secrets',
    );
    expect(runbook).not.toContain('## Provider kit (required)');
    expect(runbook).toContain('*custom*: provider added by your own module');

    // Provision: entries written through the store adapter with the task's credential.
    const provisioned = run(
      provision,
      { spec: spec() },
      { secrets: { acmeToken: 'task-token' } },
    );
    await provisioned.done;
    expect(provisioned.outputs.refs.probe).toBe(
      `acme-secrets:fleet/${probeEntryName(NAME)}`,
    );
    expect(store.entries.has(`fleet/${probeEntryName(NAME)}`)).toBe(true);
    expect(new Set(store.calls.tokens)).toEqual(new Set(['task-token']));

    // Probe: the catalog-info.yaml the render wrote, through the added adapters.
    const system = parseAllDocuments(read('catalog-info.yaml'))
      .map(d => d.toJS() as Entity)
      .find(e => e.kind === 'System')!;
    expect(system.metadata.annotations).toMatchObject({
      'open-amt.io/database-provider': 'acme-db',
      'open-amt.io/database-endpoint': 'db.acme.example.com:7777',
      'open-amt.io/secrets-provider': 'acme-secrets',
      'open-amt.io/secrets-endpoint': STORE_URL,
      'open-amt.io/secrets-mount': 'fleet',
      'open-amt.io/gateway-provider': 'acme-gateway',
      'open-amt.io/gateway-url':
        'https://edge.acme.example.com/tenants/acme-prod/health',
      'open-amt.io/credentials-ref': `acme-secrets:fleet/${probeEntryName(
        NAME,
      )}`,
    });
    const { scheduler, factory: schedulerFactory } = manualScheduler();
    const health = await startTestBackend({
      features: [
        openAmtPlugin,
        acmeHealthModule({
          database: database.adapter,
          store: store.adapter,
          gateway: gateway.adapter,
        }),
        mockServices.logger.factory(),
        schedulerFactory,
        mockServices.rootConfig.factory({
          data: {
            openAmt: {
              health: {
                jitterMs: 0,
                timeoutMs: 3000,
                secretStores: {
                  acme: { url: STORE_URL, token: 'portal-token' },
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [system] }),
      ],
    });
    await scheduler.triggerTask(SWEEP_TASK_ID);
    const res = await request(health.server)
      .get(`/api/open-amt/deployments/default/${NAME}`)
      .set({ Authorization: mockCredentials.user.header() });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.body as DeploymentHealth).components.map(c => [c.component, c]),
    );
    expect(byId.secrets).toMatchObject({
      provider: 'acme-secrets',
      status: 'healthy',
      message: `Acme store ${STORE_URL} answered.`,
    });
    expect(byId.gateway).toMatchObject({
      provider: 'acme-gateway',
      status: 'healthy',
    });
    // The database: at the rendered endpoint, with the monitoring login the provisioning wrote to the store.
    const probeEntry = store.entries.get(`fleet/${probeEntryName(NAME)}`)!;
    expect(byId.database).toMatchObject({
      provider: 'acme-db',
      status: 'healthy',
    });
    expect(database.calls).toEqual([
      {
        host: 'db.acme.example.com',
        port: 7777,
        credentials: {
          user: probeEntry.dbUser,
          password: probeEntry.dbPassword,
        },
      },
    ]);
    expect(gateway.calls).toEqual([
      'https://edge.acme.example.com/tenants/acme-prod/health',
    ]);
    // The portal probed with its own identity; the task's credential stayed with the task.
    expect(store.calls.tokens.slice(-1)).toEqual(['portal-token']);
    // The picker and the health card read the same entries the scaffolder rendered with, levels as stated there.
    expect(byId.database.supportLevel).toBe('custom');
    expect(byId.gateway.supportLevel).toBe('native');
    const providers = (
      await request(health.server)
        .get('/api/open-amt/providers')
        .set({ Authorization: mockCredentials.user.header() })
    ).body as ProviderRegistryAnswer;
    expect(providers.database.find(p => p.id === 'acme-db')).toMatchObject({
      label: 'Acme DB',
      supportLevel: 'custom',
    });
    expect(providers.secrets.find(p => p.id === 'acme-secrets')?.label).toBe(
      'Acme Secrets',
    );
    expect(providers.gateway.find(p => p.id === 'acme-gateway')?.label).toBe(
      'Acme Edge',
    );
    await health.stop();
  });

  it("checks the added sections with the provider's own schema, naming the field", async () => {
    const { render } = await scaffolderActions([
      acmeModule(acmeSecretStoreAdapter(), acmeDatabaseAdapter()),
    ]);
    const bad = run(render, {
      spec: spec({
        gateway: {
          provider: 'acme-gateway',
          publicHost: 'oamt.acme.example.com',
          tenant: 'Not A Tenant',
        },
      }),
    });
    await expect(bad.done).rejects.toThrow(
      /spec\.gateway\.tenant: must be a tenant id/,
    );
    // Nothing written: the workspace was not even created.
    const workspace = bad.ctx.workspacePath;
    expect(fs.existsSync(workspace) ? fs.readdirSync(workspace) : []).toEqual(
      [],
    );
  });

  it('rejects the ids when no module added them', async () => {
    const { render } = await scaffolderActions([]);
    const unknown = run(render, { spec: spec() });
    await expect(unknown.done).rejects.toThrow(/spec\.gateway\.provider/);
    await expect(unknown.done).rejects.toThrow(/spec\.secrets\.provider/);
    await expect(unknown.done).rejects.toThrow(/spec\.database\.provider/);
  });

  function addingGateway(renderer: typeof acmeGatewayRenderer) {
    return createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'open-amt-odd-gateway',
      register(env) {
        env.registerInit({
          deps: { providers: openAmtScaffolderProvidersExtensionPoint },
          async init({ providers }) {
            providers.addGateway(renderer);
          },
        });
      },
    });
  }

  it('fails the startup when an added renderer takes a built-in id', async () => {
    const kong = {
      ...acmeGatewayRenderer,
      info: {
        ...acmeGatewayRenderer.info,
        id: 'kong',
        spec: gatewaySpecSection('kong', () => ({})),
      },
    };
    await expect(scaffolderActions([addingGateway(kong)])).rejects.toThrow(
      /gateway renderer "kong" clashes with a built-in/,
    );
  });

  it("fails the startup when a renderer's spec section names another id", async () => {
    const mislabelled = {
      ...acmeGatewayRenderer,
      info: { ...acmeGatewayRenderer.info, id: 'acme-other' },
    };
    await expect(
      scaffolderActions([addingGateway(mislabelled)]),
    ).rejects.toThrow(/"acme-other": its spec section must have provider/);
  });
});
