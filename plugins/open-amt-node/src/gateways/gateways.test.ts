import {
  DRIFT_DETAILS,
  REQUIRED_GATEWAY_ROUTES,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  createProbeMemory,
  kongEntitiesFor,
  startApiGatewayStageServer,
  startApimServer,
  startEspServer,
  startKongAdminServer,
  startSilentSocketServer,
  startTykServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { ProbeContext } from '../types';
import { gatewayAdapters } from '.';

const ctx = (timeoutMs = 2000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
});
const expected = REQUIRED_GATEWAY_ROUTES;

afterAll(() => closeIdleProbeConnections());

describe('kong', () => {
  it('is healthy with configuration loaded and every required route (Kong 3.0 ~ regex paths) present', async () => {
    const kong = await startKongAdminServer();
    try {
      const result = await gatewayAdapters.kong.probe(
        kong.url,
        expected,
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'healthy',
        details: {
          version: '3.9.0',
          databaseReachable: true,
          routes: 8,
          drift: { missing: [], extra: [], unresolvedServices: [] },
        },
      });
      expect(
        kong.state.routes.find(r => r.name === 'mps-login')?.paths,
      ).toEqual(['~/mps/login/api/v1/authorize$']);
    } finally {
      await kong.close();
    }
  });

  it('matches routes by path when names differ', async () => {
    const entities = kongEntitiesFor();
    entities.routes.forEach((r, i) => (r.name = `renamed-${i}`));
    const kong = await startKongAdminServer({ state: entities });
    try {
      const result = await gatewayAdapters.kong.probe(
        kong.url,
        expected,
        ctx(),
      );
      expect(result.status).toBe('healthy');
    } finally {
      await kong.close();
    }
  });

  it('lists missing, extra and dangling routes as drift (degraded)', async () => {
    const kong = await startKongAdminServer();
    try {
      kong.state.routes = kong.state.routes.filter(
        r => r.name !== 'rps-maintenance',
      );
      kong.state.routes.push({
        id: 'x1',
        name: 'debug',
        paths: ['/debug'],
        service: { id: kong.state.services[0].id },
        strip_path: true,
      });
      kong.state.routes.find(r => r.name === 'webui')!.service = {
        id: 'deleted-service',
      };
      const result = await gatewayAdapters.kong.probe(
        kong.url,
        expected,
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'degraded',
        details: {
          drift: {
            missing: ['rps-maintenance'],
            extra: ['debug'],
            unresolvedServices: ['webui'],
          },
        },
      });
      expect(result.message).toMatch(/missing routes rps-maintenance/);
    } finally {
      await kong.close();
    }
  });

  it('is down without a loaded configuration, degraded when its database cannot be reached', async () => {
    const kong = await startKongAdminServer({
      state: { configurationHash: '00000000000000000000000000000000' },
    });
    try {
      await expect(
        gatewayAdapters.kong.probe(kong.url, expected, ctx()),
      ).resolves.toMatchObject({ status: 'down' });
      kong.state.configurationHash = 'abc';
      kong.state.databaseReachable = false;
      await expect(
        gatewayAdapters.kong.probe(kong.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'degraded',
        details: { databaseReachable: false },
      });
      kong.failNext(500);
      await expect(
        gatewayAdapters.kong.probe(kong.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 500 },
      });
    } finally {
      await kong.close();
    }
  });

  it('follows paged listings (Kong pages by 100 with `next`)', async () => {
    const many = kongEntitiesFor();
    for (let i = 0; i < 150; i++)
      many.routes.push({
        id: `r${i}`,
        name: `extra-${i}`,
        paths: [`/x${i}`],
        service: { id: many.services[0].id },
        strip_path: true,
      });
    const kong = await startKongAdminServer({ state: many });
    try {
      const result = await gatewayAdapters.kong.probe(
        kong.url,
        expected,
        ctx(),
      );
      expect(result.details?.routes).toBe(158);
      expect((result.details?.drift as { extra: string[] }).extra).toHaveLength(
        150,
      );
    } finally {
      await kong.close();
    }
  });
});

describe('kong with a probe memory', () => {
  const paths = (kong: { requests: { path: string }[] }) =>
    kong.requests.map(r => r.path.split('?')[0]);

  it('lists routes once per configuration hash, and again when the hash changes', async () => {
    const kong = await startKongAdminServer();
    const memory = createProbeMemory();
    try {
      const first = await gatewayAdapters.kong.probe(kong.url, expected, {
        ...ctx(),
        memory,
      });
      expect(first.status).toBe('healthy');
      expect(paths(kong).sort()).toEqual(['/routes', '/services', '/status']);

      kong.requests.length = 0;
      const second = await gatewayAdapters.kong.probe(kong.url, expected, {
        ...ctx(),
        memory,
      });
      expect(paths(kong)).toEqual(['/status']);
      expect(second).toMatchObject({
        status: 'healthy',
        details: { routes: first.details?.routes, drift: first.details?.drift },
      });

      // A new declarative configuration without the /rps route: a new hash, so the routes are read again.
      kong.state.routes = kong.state.routes.filter(r => r.name !== 'rps');
      kong.state.configurationHash = 'b0b166c59873245db8f1a747ba9a80a7';
      kong.requests.length = 0;
      const third = await gatewayAdapters.kong.probe(kong.url, expected, {
        ...ctx(),
        memory,
      });
      expect(paths(kong)).toEqual(['/status', '/routes', '/services']);
      expect(third).toMatchObject({
        status: 'degraded',
        details: { drift: { missing: ['rps'] } },
      });
    } finally {
      await kong.close();
    }
  });

  it('lists routes every time when Kong reports no configuration hash (database mode)', async () => {
    const kong = await startKongAdminServer({
      state: { configurationHash: undefined as unknown as string },
    });
    const memory = createProbeMemory();
    try {
      await gatewayAdapters.kong.probe(kong.url, expected, {
        ...ctx(),
        memory,
      });
      kong.requests.length = 0;
      await expect(
        gatewayAdapters.kong.probe(kong.url, expected, { ...ctx(), memory }),
      ).resolves.toMatchObject({ status: 'healthy' });
      expect(paths(kong).sort()).toEqual(['/routes', '/services', '/status']);
      expect(memory.facts.size).toBe(0);
    } finally {
      await kong.close();
    }
  });
});

describe('tyk', () => {
  it.each([
    ['pass', 'healthy'],
    ['warn', 'degraded'],
    ['fail', 'down'],
  ] as const)(
    '/hello %s → %s, naming failing components',
    async (state, status) => {
      const tyk = await startTykServer({
        state: {
          status: state,
          components: {
            redis: {
              status: state,
              componentType: 'datastore',
              output: state === 'pass' ? undefined : 'redis timeout',
            },
          },
        },
      });
      try {
        const result = await gatewayAdapters.tyk.probe(
          tyk.url,
          expected,
          ctx(),
        );
        expect(result.status).toBe(status);
        expect(result.message).toMatch(
          state === 'pass'
            ? /reports pass/
            : /redis (warn|fail) \(redis timeout\)/,
        );
        expect(result.details?.version).toBe('v5.3.0');
      } finally {
        await tyk.close();
      }
    },
  );

  it('is down on invalid JSON', async () => {
    const tyk = await startTykServer();
    try {
      tyk.failNext('invalid-json');
      await expect(
        gatewayAdapters.tyk.probe(tyk.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { failure: 'invalid_json' },
      });
    } finally {
      await tyk.close();
    }
  });
});

describe('azure-apim', () => {
  it('is healthy on 200 from /status-0123456789abcdef and down otherwise', async () => {
    const apim = await startApimServer();
    try {
      await expect(
        gatewayAdapters['azure-apim'].probe(apim.url, expected, ctx()),
      ).resolves.toMatchObject({ status: 'healthy' });
      expect(apim.requests[0].path).toBe('/status-0123456789abcdef');
      apim.state.serving = false;
      await expect(
        gatewayAdapters['azure-apim'].probe(apim.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 503 },
      });
    } finally {
      await apim.close();
    }
  });
});

describe('aws-api-gateway', () => {
  it('is healthy when the stage answers, also with 403 Missing Authentication Token', async () => {
    const stage = await startApiGatewayStageServer();
    try {
      await expect(
        gatewayAdapters['aws-api-gateway'].probe(stage.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'healthy',
        details: { httpStatus: 200, answeredByApiGateway: true },
      });
      const unknownPath = await gatewayAdapters['aws-api-gateway'].probe(
        `${stage.url}/no-such-route`,
        expected,
        ctx(),
      );
      expect(unknownPath).toMatchObject({
        status: 'healthy',
        details: { httpStatus: 403 },
      });
      expect(unknownPath.message).toMatch(/Missing Authentication Token/);
      stage.state.rootIntegrationStatus = 502;
      await expect(
        gatewayAdapters['aws-api-gateway'].probe(stage.url, expected, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 502 },
      });
    } finally {
      await stage.close();
    }
  });
});

describe('google-cloud-endpoints', () => {
  it('is healthy on ESPv2 /healthz 200 and down otherwise', async () => {
    const esp = await startEspServer();
    try {
      await expect(
        gatewayAdapters['google-cloud-endpoints'].probe(
          esp.url,
          expected,
          ctx(),
        ),
      ).resolves.toMatchObject({ status: 'healthy' });
      esp.state.healthy = false;
      await expect(
        gatewayAdapters['google-cloud-endpoints'].probe(
          esp.url,
          expected,
          ctx(),
        ),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 503 },
      });
    } finally {
      await esp.close();
    }
  });
});

describe('every gateway adapter', () => {
  it.each(Object.keys(gatewayAdapters) as Array<keyof typeof gatewayAdapters>)(
    '%s is down within the budget on a silent socket',
    async provider => {
      const silent = await startSilentSocketServer();
      try {
        const started = Date.now();
        const result = await gatewayAdapters[provider].probe(
          silent.url,
          expected,
          ctx(250),
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { failure: 'timeout' },
        });
        expect(Date.now() - started).toBeLessThan(500);
      } finally {
        await silent.close();
      }
    },
  );

  it.each(Object.keys(gatewayAdapters) as Array<keyof typeof gatewayAdapters>)(
    '%s is unknown for a metadata address',
    async provider => {
      const result = await gatewayAdapters[provider].probe(
        'http://169.254.169.254/',
        expected,
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'unknown',
        details: { failure: 'host_not_allowed' },
      });
    },
  );
});

describe('live routes', () => {
  const serving = {
    kong: () => startKongAdminServer(),
    tyk: () => startTykServer(),
    'azure-apim': () => startApimServer(),
    'aws-api-gateway': () => startApiGatewayStageServer(),
    'google-cloud-endpoints': () => startEspServer(),
  } satisfies Record<
    keyof typeof gatewayAdapters,
    () => Promise<{ url: string; close(): Promise<void> }>
  >;

  it.each(Object.keys(serving) as Array<keyof typeof serving>)(
    '%s either compares the live routes or says why it cannot, never both',
    async provider => {
      const server = await serving[provider]();
      try {
        const result = await gatewayAdapters[provider].probe(
          server.url,
          expected,
          ctx(),
        );
        expect(result.status).not.toBe('down');
        const why = result.details?.[DRIFT_DETAILS.routesNotCheckable];
        const drift = result.details?.[DRIFT_DETAILS.routeDrift];
        // Exactly one of the two: a compared listing, or the vendor's reason naming the credential it would need.
        expect([why === undefined, drift === undefined]).toContain(true);
        expect(why === undefined && drift === undefined).toBe(false);
        expect(why === undefined || /not compared/.test(String(why))).toBe(
          true,
        );
      } finally {
        await server.close();
      }
    },
  );

  it('a failed probe of a gateway that cannot list routes still says why', async () => {
    const result = await gatewayAdapters.tyk.probe(
      'http://169.254.169.254/',
      expected,
      ctx(),
    );
    expect(result.status).toBe('unknown');
    expect(result.details?.[DRIFT_DETAILS.routesNotCheckable]).toMatch(
      /x-tyk-authorization/,
    );
  });
});
