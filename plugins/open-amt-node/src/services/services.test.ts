import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import {
  ContractServer,
  createProbeMemory,
  MpsState,
  startMpsRouterServer,
  startMpsServer,
  startRpsServer,
  startSilentSocketServer,
  startWebUiServer,
  ToolkitServiceState,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { ProbeContext } from '../types';
import { serviceAdapters } from '.';

const ctx = (timeoutMs = 2000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8', 'localhost'] }),
});

afterAll(() => closeIdleProbeConnections());

describe('mps', () => {
  let mps: ContractServer<MpsState>;
  beforeEach(async () => {
    mps = await startMpsServer();
  });
  afterEach(() => mps.close());

  it('is healthy on 200 and reports the service version', async () => {
    const result = await serviceAdapters.mps.probe(mps.url, ctx());
    expect(result).toMatchObject({
      status: 'healthy',
      details: {
        version: LATEST_TOOLKIT_RELEASE.components.mps.version,
        db: { status: 'OK' },
        secretStore: { name: 'vault', sealed: false },
      },
    });
    expect(mps.requests.map(r => r.path)).toEqual([
      '/api/v1/health',
      '/api/v1/version',
    ]);
  });

  it('words a healthy MPS row as what MPS reported of itself, nothing a database row could contradict', async () => {
    const result = await serviceAdapters.mps.probe(mps.url, ctx());
    expect(result.status).toBe('healthy');
    expect(result.message).toMatch(/^MPS .* reports itself healthy\.$/);
    expect(result.message).not.toMatch(/database|secret store|\bOK\b/i);
  });

  it('is down on 503 and says the database failed', async () => {
    mps.state.dbStatus = 'invalid_password';
    const result = await serviceAdapters.mps.probe(mps.url, ctx());
    expect(result).toMatchObject({
      status: 'down',
      details: {
        httpStatus: 503,
        failed: ['database postgres invalid_password'],
      },
    });
    expect(result.message).toMatch(/database postgres invalid_password/);
  });

  it('is down on 503 and says the secret store is sealed, or cannot be reached', async () => {
    mps.state.secretStoreStatus = {
      initialized: true,
      sealed: true,
      version: '1.18.3',
    };
    await expect(
      serviceAdapters.mps.probe(mps.url, ctx()),
    ).resolves.toMatchObject({
      status: 'down',
      details: { failed: ['secret store vault sealed'] },
    });
    mps.state.secretStoreStatus = 'connect ECONNREFUSED 10.0.0.9:8200';
    const result = await serviceAdapters.mps.probe(mps.url, ctx());
    expect(result.message).toMatch(/secret store vault connect ECONNREFUSED/);
  });

  it('is down on 500, on a page that is not a health report, and on invalid JSON', async () => {
    mps.state.healthThrows = true;
    await expect(
      serviceAdapters.mps.probe(mps.url, ctx()),
    ).resolves.toMatchObject({ status: 'down', details: { httpStatus: 500 } });
    mps.state.healthThrows = false;
    mps.failNext('invalid-json');
    await expect(
      serviceAdapters.mps.probe(mps.url, ctx()),
    ).resolves.toMatchObject({
      status: 'down',
      details: { failure: 'invalid_json' },
    });
  });

  it('with a probe memory, asks the version once, and again after a failed health check', async () => {
    const memory = createProbeMemory();
    await expect(
      serviceAdapters.mps.probe(mps.url, { ...ctx(), memory }),
    ).resolves.toMatchObject({
      details: { version: LATEST_TOOLKIT_RELEASE.components.mps.version },
    });
    mps.requests.length = 0;
    await expect(
      serviceAdapters.mps.probe(mps.url, { ...ctx(), memory }),
    ).resolves.toMatchObject({
      status: 'healthy',
      details: { version: LATEST_TOOLKIT_RELEASE.components.mps.version },
    });
    expect(mps.requests.map(r => r.path)).toEqual(['/api/v1/health']);

    mps.state.dbStatus = 'invalid_password';
    await expect(
      serviceAdapters.mps.probe(mps.url, { ...ctx(), memory }),
    ).resolves.toMatchObject({ status: 'down' });
    mps.state.dbStatus = 'OK';
    mps.requests.length = 0;
    await expect(
      serviceAdapters.mps.probe(mps.url, { ...ctx(), memory }),
    ).resolves.toMatchObject({ status: 'healthy' });
    expect(mps.requests.map(r => r.path)).toEqual([
      '/api/v1/health',
      '/api/v1/version',
    ]);
  });

  it('authorizes with the admin user (the login route the gateway exposes)', async () => {
    const login = (password: string) =>
      fetch(`${mps.url}/api/v1/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'standalone', password }),
      });
    const ok = await login('G@ppm0ym');
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect(
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()),
    ).toMatchObject({ iss: mps.state.jwtIssuer, tenantId: '' });
    expect((await login('wrong')).status).toBe(401);
  });
});

describe('rps', () => {
  let rps: ContractServer<ToolkitServiceState>;
  beforeEach(async () => {
    rps = await startRpsServer();
  });
  afterEach(() => rps.close());

  it('is healthy with serviceVersion and protocolVersion', async () => {
    await expect(
      serviceAdapters.rps.probe(rps.url, ctx()),
    ).resolves.toMatchObject({
      status: 'healthy',
      details: {
        version: LATEST_TOOLKIT_RELEASE.components.rps.version,
        protocolVersion: '4.0.0',
      },
    });
    expect(rps.requests.map(r => r.path)).toEqual([
      '/api/v1/admin/health',
      '/api/v1/admin/version',
    ]);
  });

  it('is down when Vault is uninitialized', async () => {
    rps.state.secretStoreStatus = { initialized: false, sealed: true };
    await expect(
      serviceAdapters.rps.probe(rps.url, ctx()),
    ).resolves.toMatchObject({
      status: 'down',
      details: { failed: ['secret store vault not initialized'] },
    });
  });

  it('stays healthy when only the version endpoint fails', async () => {
    rps.failNext(500, 1, '/api/v1/admin/version');
    const result = await serviceAdapters.rps.probe(rps.url, ctx());
    expect(result.status).toBe('healthy');
    expect(result.details?.version).toBeUndefined();
  });
});

describe('mpsrouter', () => {
  it('is healthy when MPS answers through it, also when MPS reports a failure', async () => {
    const mps = await startMpsServer();
    const router = await startMpsRouterServer({ mpsUrl: mps.url });
    try {
      await expect(
        serviceAdapters.mpsrouter.probe(router.url, ctx()),
      ).resolves.toMatchObject({ status: 'healthy' });
      expect(mps.requests.map(r => r.path)).toEqual(['/api/v1/health']);
      mps.state.dbStatus = 'ECONNREFUSED';
      const result = await serviceAdapters.mpsrouter.probe(router.url, ctx());
      expect(result.status).toBe('healthy');
      expect(result.message).toMatch(
        /MPS reports database postgres ECONNREFUSED/,
      );
    } finally {
      await router.close();
      await mps.close();
    }
  });

  it('is down when the router cannot reach MPS (502)', async () => {
    const mps = await startMpsServer();
    const router = await startMpsRouterServer({ mpsUrl: mps.url });
    await mps.close();
    try {
      await expect(
        serviceAdapters.mpsrouter.probe(router.url, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 502 },
      });
    } finally {
      await router.close();
    }
  });
});

describe('webui', () => {
  it('is healthy on the Angular page, degraded on another page, down on 5xx', async () => {
    const ui = await startWebUiServer();
    try {
      await expect(
        serviceAdapters.webui.probe(ui.url, ctx()),
      ).resolves.toMatchObject({
        status: 'healthy',
        details: { title: 'Device Management Toolkit' },
      });
      ui.state.page = '<html><body>Welcome to nginx!</body></html>';
      await expect(
        serviceAdapters.webui.probe(ui.url, ctx()),
      ).resolves.toMatchObject({ status: 'degraded' });
      ui.failNext(502);
      await expect(
        serviceAdapters.webui.probe(ui.url, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 502 },
      });
    } finally {
      await ui.close();
    }
  });

  it('is down when the page is 10 MB', async () => {
    const ui = await startWebUiServer();
    try {
      ui.failNext('huge-body');
      await expect(
        serviceAdapters.webui.probe(ui.url, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { failure: 'body_too_large' },
      });
    } finally {
      await ui.close();
    }
  });
});

describe('every service adapter', () => {
  it.each(Object.keys(serviceAdapters) as Array<keyof typeof serviceAdapters>)(
    '%s is down within the budget on a silent socket',
    async component => {
      const silent = await startSilentSocketServer();
      try {
        const started = Date.now();
        const result = await serviceAdapters[component].probe(
          silent.url,
          ctx(250),
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { failure: 'timeout' },
        });
        expect(result.latencyMs).toBeUndefined();
        expect(Date.now() - started).toBeLessThan(500);
      } finally {
        await silent.close();
      }
    },
  );

  it.each(Object.keys(serviceAdapters) as Array<keyof typeof serviceAdapters>)(
    '%s is down on a DNS failure',
    async component => {
      const result = await serviceAdapters[component].probe(
        'http://open-amt-service.invalid:3000',
        {
          timeoutMs: 3000,
          guard: createHostGuard({ allowedHosts: ['*.invalid'] }),
        },
      );
      expect(result).toMatchObject({
        status: 'down',
        details: { failure: 'dns_failure' },
      });
    },
  );
});
