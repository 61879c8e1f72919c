import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  builtInProviderRegistry,
  ComponentHealth,
  COMPONENT_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { DeploymentAccess } from './services/DeploymentAccess/DeploymentAccess';
import { DeploymentRefresher } from './services/DeploymentRefresher/DeploymentRefresher';
import { DatabaseHealthStore } from './services/HealthStore/DatabaseHealthStore';
import { RefreshRateLimiter } from './services/ProbeScheduling/refreshRateLimiter';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const components = (status: ComponentHealth['status']): ComponentHealth[] =>
  COMPONENT_IDS.map(component => ({
    component,
    provider: 'open-amt',
    supportLevel: 'native',
    status,
    latencyMs: 12,
    checkedAt: new Date().toISOString(),
    message: `${component} is ${status}`,
  }));

describe('router answers from the store snapshot', () => {
  async function setup() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseHealthStore.create({
      database: mockServices.database({ knex }),
    });
    const meta = (name: string) => ({
      entityRef: `system:default/${name}`,
      namespace: 'default',
      name,
      owner: 'group:default/platform',
      simulated: false,
      providers: { gateway: 'kong' },
    });
    await store.record(meta('alpha'), components('healthy'));
    await store.record(meta('bravo'), components('down'));
    const engine = {
      findTarget: async () => undefined,
      refresh: async () => undefined,
    } as any;
    const access = new DeploymentAccess(mockServices.permissions());
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      access,
      refresher: new DeploymentRefresher({
        access,
        engine,
        limiter: new RefreshRateLimiter(30_000),
        auditor: mockServices.auditor.mock(),
      }),
      store,
      engine,
      providers: builtInProviderRegistry(),
    });
    const app = express().use(router);
    app.use(
      (
        error: Error,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        const status: Record<string, number> = {
          InputError: 400,
          NotFoundError: 404,
        };
        res.status(status[error.name] ?? 500).json({ error: error.message });
      },
    );
    return { app, store, meta };
  }

  it('serves a deployment with an ETag, 304 when unchanged, and the new state after a write', async () => {
    const { app, store, meta } = await setup();
    const first = await request(app).get('/deployments/default/alpha');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.body).toMatchObject({
      entityRef: 'system:default/alpha',
      status: 'healthy',
    });
    expect(
      first.body.components.map((c: ComponentHealth) => c.component),
    ).toEqual(COMPONENT_IDS);
    const etag = first.headers.etag;
    expect(
      (
        await request(app)
          .get('/deployments/default/alpha')
          .set('If-None-Match', etag)
      ).status,
    ).toBe(304);

    await store.record(meta('alpha'), components('degraded'));
    const changed = await request(app)
      .get('/deployments/default/alpha')
      .set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('degraded');
    expect(changed.headers.etag).not.toBe(etag);
    expect((await request(app).get('/deployments/default/nobody')).status).toBe(
      404,
    );
    expect(
      (await request(app).get('/deployments/default/bad%20name')).status,
    ).toBe(400);
  });

  it('serves fleet pages per query, validates every distinct query, and follows writes', async () => {
    const { app, store, meta } = await setup();
    const down = await request(app).get('/deployments?status=down');
    expect(down.body).toMatchObject({
      totalCount: 1,
      items: [{ name: 'bravo' }],
    });
    expect(
      (await request(app).get('/deployments?status=down')).body.totalCount,
    ).toBe(1);
    expect(
      (
        await request(app).get('/deployments?sort=status&order=desc')
      ).body.items.map((i: { name: string }) => i.name),
    ).toEqual(['alpha', 'bravo']);
    expect(
      (await request(app).get('/deployments?status=sideways')).status,
    ).toBe(400);
    expect(
      (await request(app).get('/deployments?status=sideways')).status,
    ).toBe(400);

    await store.record(meta('alpha'), components('down'));
    expect(
      (await request(app).get('/deployments?status=down')).body.totalCount,
    ).toBe(2);
  });

  it('filters and counts drift server-side, refusing an unknown drift filter by name', async () => {
    const { app } = await setup();
    // Neither test deployment carries the release annotation: both run v2.26.0, behind the newest.
    const behind = await request(app).get('/deployments?drift=behind');
    expect(behind.status).toBe(200);
    expect(behind.body.totalCount).toBe(2);
    expect(behind.body.driftCounts.behind).toBe(2);
    expect(behind.body.items[0].drift).toMatchObject({ behind: true });
    const bad = await request(app).get('/deployments?drift=sideways');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/query parameter drift/);
  });

  it('filters, counts and sorts by devices and certificates server-side, refusing an unknown attention filter by name', async () => {
    const { app, store, meta } = await setup();
    const withDetails = (
      details: Partial<
        Record<ComponentHealth['component'], Record<string, unknown>>
      >,
    ) =>
      components('healthy').map(c =>
        details[c.component] ? { ...c, details: details[c.component] } : c,
      );
    // charlie: 10/40 connected under a drop alert, a certificate 5 days from expiry; alpha: 38/40; bravo: no counts.
    await store.record(
      meta('charlie'),
      withDetails({
        devices: {
          totalCount: 40,
          connectedCount: 10,
          disconnectedCount: 30,
          dropAlert: {
            since: '2025-03-01T10:00:00.000Z',
            baseline: 38,
            recoverAt: 34,
          },
        },
        certificates: {
          certificates: [
            {
              kind: 'cira',
              name: 'mps.example.com',
              expiresAt: '2030-01-01T00:00:00.000Z',
              daysLeft: 5,
              status: 'degraded',
            },
          ],
          renewDays: 30,
        },
      }),
    );
    await store.record(
      meta('alpha'),
      withDetails({
        devices: { totalCount: 40, connectedCount: 38, disconnectedCount: 2 },
      }),
    );
    const names = (res: request.Response) =>
      res.body.items.map((i: { name: string }) => i.name);

    const dropped = await request(app).get(
      '/deployments?attention=devices-dropped',
    );
    expect(dropped.status).toBe(200);
    expect(names(dropped)).toEqual(['charlie']);
    expect(dropped.body.items[0].devices).toEqual({
      connected: 10,
      total: 40,
      dropped: true,
    });
    expect(dropped.body.items[0].certificates).toEqual({
      soonestDaysLeft: 5,
      expiring: true,
    });
    expect(dropped.body.attentionCounts).toEqual({
      'certificates-expiring': 1,
      'devices-dropped': 1,
    });
    for (const both of [
      'attention=devices-dropped,certificates-expiring',
      'attention=devices-dropped&attention=certificates-expiring',
    ]) {
      expect(names(await request(app).get(`/deployments?${both}`))).toEqual([
        'charlie',
      ]);
    }
    expect(
      names(await request(app).get('/deployments?sort=devices&order=asc')),
    ).toEqual(['charlie', 'alpha', 'bravo']);

    for (const bad of [
      'attention=sideways',
      'attention=devices-dropped,sideways',
    ]) {
      const res = await request(app).get(`/deployments?${bad}`);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/query parameter attention/);
    }
  });
});
