import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentHealth,
  FleetPage,
  RefreshResult,
} from '@open-amt-backstage/plugin-open-amt-common';
import { manualScheduler } from '@open-amt-backstage/plugin-open-amt-test-utils';
import request from 'supertest';
import {
  ContractDeployment,
  startContractDeployment,
} from './__testUtils__/contractDeployment';
import { loggedLines } from './__testUtils__/loggedLines';
import { openAmtPlugin } from './plugin';
import { SWEEP_TASK_ID } from './services/createHealthServices';

jest.setTimeout(60_000);

/** The plugin's logger: every line it is given is checked for secrets. */
const logger = mockServices.logger.mock();

describe('open-amt backend plugin', () => {
  let deployment: ContractDeployment;
  let server: any;
  let scheduler: ReturnType<typeof manualScheduler>['scheduler'];
  const userAuth = () => ({ Authorization: mockCredentials.user.header() });

  async function start(
    extra: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      withoutEntities?: boolean;
    } = {},
  ) {
    const manual = manualScheduler();
    scheduler = manual.scheduler;
    const backend = await startTestBackend({
      features: [
        openAmtPlugin,
        logger.factory,
        manual.factory,
        mockServices.rootConfig.factory({
          data: {
            openAmt: {
              health: {
                allowedHosts: ['127.0.0.1'],
                timeoutMs: 3000,
                jitterMs: 0,
                refreshRateLimitSeconds: 60,
                secretStores: {
                  vault: {
                    address: deployment.vault.url,
                    token: deployment.vault.rootToken,
                  },
                },
              },
            },
          },
        }),
        ...(extra.permission
          ? [mockServices.permissions.factory({ result: extra.permission })]
          : []),
        catalogServiceMock.factory({
          entities: extra.withoutEntities ? [] : [deployment.entity],
        }),
      ],
    });
    server = backend.server;
    return backend;
  }

  beforeAll(async () => {
    deployment = await startContractDeployment({ name: 'router-test' });
  });
  afterAll(async () => {
    await deployment.close();
  });

  it('answers GET /health without credentials', async () => {
    const backend = await start();
    const res = await request(server).get('/api/open-amt/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    await backend.stop();
  });

  it('requires credentials for the deployment routes', async () => {
    const backend = await start();
    const anonymous = { Authorization: mockCredentials.none.header() };
    expect(
      (await request(server).get('/api/open-amt/deployments').set(anonymous))
        .status,
    ).toBe(401);
    expect(
      (
        await request(server)
          .post('/api/open-amt/deployments/default/router-test/refresh')
          .set(anonymous)
      ).status,
    ).toBe(401);
    expect(
      (await request(server).get('/api/open-amt/health').set(anonymous)).status,
    ).toBe(200);
    await backend.stop();
  });

  it('serves the fleet, one deployment, its history and a refresh, and rate-limits refreshes', async () => {
    const backend = await start();
    // Before the first sweep the deployment is known from the catalog with nothing probed.
    const pending = await request(server)
      .get('/api/open-amt/deployments/default/router-test')
      .set(userAuth());
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({
      entityRef: 'system:default/router-test',
      status: 'unknown',
      components: [],
    });

    await scheduler.triggerTask(SWEEP_TASK_ID);

    const fleet = await request(server)
      .get(
        '/api/open-amt/deployments?status=down,degraded,healthy&provider=kong',
      )
      .set(userAuth());
    expect(fleet.status).toBe(200);
    const page = fleet.body as FleetPage;
    expect(page.totalCount).toBe(1);
    expect(page.items[0]).toMatchObject({
      entityRef: 'system:default/router-test',
      owner: 'group:default/platform',
      providers: { database: 'postgresql', secrets: 'vault', gateway: 'kong' },
    });

    const one = await request(server)
      .get('/api/open-amt/deployments/default/router-test')
      .set(userAuth());
    const health = one.body as DeploymentHealth;
    expect(health.components.map(c => c.component)).toEqual([
      'mps',
      'rps',
      'mpsrouter',
      'webui',
      'database',
      'secrets',
      'gateway',
      'cira',
      'devices',
      'certificates',
    ]);
    const byId = Object.fromEntries(
      health.components.map(c => [c.component, c]),
    );
    expect(byId.mps.status).toBe('healthy');
    expect(byId.gateway).toMatchObject({
      provider: 'kong',
      supportLevel: 'native',
      status: 'healthy',
    });
    expect(byId.secrets).toMatchObject({
      provider: 'vault',
      status: 'healthy',
    });
    expect(byId.cira).toMatchObject({
      provider: 'open-amt',
      supportLevel: 'native',
      status: 'healthy',
      details: { chainVerified: false },
    });
    // The probe databases do not exist on the local server: a real, classified failure.
    expect(byId.database.status).toBe('down');
    expect(health.status).toBe('down');

    const history = await request(server)
      .get('/api/open-amt/deployments/default/router-test/history')
      .set(userAuth());
    expect(history.status).toBe(200);
    expect(
      history.body.buckets.some(
        (b: any) => b.component === 'mps' && b.samples === 1 && b.uptime === 1,
      ),
    ).toBe(true);
    expect(
      history.body.transitions.some(
        (t: any) => t.component === 'deployment' && t.to === 'down',
      ),
    ).toBe(true);

    const refreshed = await request(server)
      .post('/api/open-amt/deployments/default/router-test/refresh')
      .set(userAuth());
    expect(refreshed.status).toBe(200);
    expect((refreshed.body as RefreshResult).accepted).toBe(true);
    expect((refreshed.body as RefreshResult).health?.components).toHaveLength(
      10,
    );

    const limited = await request(server)
      .post('/api/open-amt/deployments/default/router-test/refresh')
      .set(userAuth());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.accepted).toBe(false);

    // Nothing secret in any answer or log line: not the probe password, not the Vault token.
    const everything =
      JSON.stringify([
        fleet.body,
        one.body,
        history.body,
        refreshed.body,
        limited.body,
      ]) + loggedLines(logger).join('\n');
    expect(everything).not.toContain(deployment.databasePassword);
    expect(everything).not.toContain(deployment.vault.rootToken);
    await backend.stop();
  });

  it('answers 404 for unknown deployments and 400 naming a bad parameter', async () => {
    const backend = await start({ withoutEntities: true });
    const missing = await request(server)
      .get('/api/open-amt/deployments/default/nope')
      .set(userAuth());
    expect(missing.status).toBe(404);
    expect(
      (
        await request(server)
          .post('/api/open-amt/deployments/default/nope/refresh')
          .set(userAuth())
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .get('/api/open-amt/deployments/default/nope/history')
          .set(userAuth())
      ).status,
    ).toBe(404);

    const bad = await request(server)
      .get('/api/open-amt/deployments?status=sideways')
      .set(userAuth());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('status');
    const badPage = await request(server)
      .get('/api/open-amt/deployments?pageSize=0')
      .set(userAuth());
    expect(badPage.status).toBe(400);
    expect(badPage.body.error.message).toContain('pageSize');
    const badRange = await request(server)
      .get(
        '/api/open-amt/deployments/default/x/history?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
      )
      .set(userAuth());
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.message).toContain('from');
    await backend.stop();
  });

  it('registers read and refresh as catalog-entity resource permissions in the permission metadata', async () => {
    const backend = await start();
    const res = await request(server)
      .get('/api/open-amt/.well-known/backstage/permissions/metadata')
      .set({ Authorization: mockCredentials.service.header() });
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual(
      expect.arrayContaining([
        {
          type: 'resource',
          resourceType: 'catalog-entity',
          name: 'open-amt.deployment.read',
          attributes: { action: 'read' },
        },
        {
          type: 'resource',
          resourceType: 'catalog-entity',
          name: 'open-amt.deployment.refresh',
          attributes: { action: 'update' },
        },
      ]),
    );
    await backend.stop();
  });

  it('enforces the read and refresh permissions', async () => {
    const backend = await start({ permission: AuthorizeResult.DENY });
    expect(
      (await request(server).get('/api/open-amt/deployments').set(userAuth()))
        .status,
    ).toBe(403);
    // Deny-all also denies catalog.entity.read: a System the caller cannot read is answered as absent (404).
    expect(
      (
        await request(server)
          .get('/api/open-amt/deployments/default/router-test')
          .set(userAuth())
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .post('/api/open-amt/deployments/default/router-test/refresh')
          .set(userAuth())
      ).status,
    ).toBe(404);
    await backend.stop();
  });
});
