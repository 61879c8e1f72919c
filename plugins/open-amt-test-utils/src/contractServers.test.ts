import {
  closeIdleProbeConnections,
  createHostGuard,
  probeHttp,
} from '@open-amt-backstage/plugin-open-amt-node';
import type { ProbeContext } from '@open-amt-backstage/plugin-open-amt-node';
import {
  ContractServerProcess,
  startKongAdminServer,
  startMpsServer,
  startVaultServer,
} from '.';

const ctx: ProbeContext = {
  timeoutMs: 5000,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
};

afterAll(() => closeIdleProbeConnections());

describe('contract servers', () => {
  it('inject latency and keep connections alive across many probes', async () => {
    const mps = await startMpsServer({ latencyMs: 50 });
    try {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          probeHttp(`${mps.url}/api/v1/health`, ctx, { expectJson: true }),
        ),
      );
      const elapsed = Date.now() - started;
      expect(
        results.every(
          r => r.kind === 'response' && r.status === 200 && r.latencyMs >= 49,
        ),
      ).toBe(true);
      // Latency is concurrent, not serialised: 200 answers after 50 ms each are far from 200 × 50 ms.
      expect(elapsed).toBeLessThan((200 * 50) / 2);
      const second = await Promise.all(
        Array.from({ length: 200 }, () =>
          probeHttp(`${mps.url}/api/v1/health`, ctx),
        ),
      );
      expect(second.every(r => r.kind === 'response')).toBe(true);
      expect(mps.requestCount).toBe(400);
      expect(mps.connectionCount).toBeLessThanOrEqual(200);
    } finally {
      await mps.close();
    }
  });

  it('Vault sys/health honours the documented query overrides', async () => {
    const vault = await startVaultServer({ state: { standby: true } });
    try {
      const plain = await probeHttp(`${vault.url}/v1/sys/health`, ctx);
      const standbyOk = await probeHttp(
        `${vault.url}/v1/sys/health?standbyok=true`,
        ctx,
      );
      const custom = await probeHttp(
        `${vault.url}/v1/sys/health?standbycode=299`,
        ctx,
      );
      expect(
        [plain, standbyOk, custom].map(r =>
          r.kind === 'response' ? r.status : r.failure,
        ),
      ).toEqual([429, 200, 299]);
      vault.state.sealed = true;
      const sealed = await probeHttp(
        `${vault.url}/v1/sys/health?sealedcode=200`,
        ctx,
        { expectJson: true },
      );
      expect(sealed).toMatchObject({ status: 200, json: { sealed: true } });
      const head = await probeHttp(`${vault.url}/v1/sys/health`, ctx, {
        method: 'HEAD',
      });
      expect(head).toMatchObject({ status: 503, body: '' });
    } finally {
      await vault.close();
    }
  });

  it('failNext can target one path and leaves others alone', async () => {
    const kong = await startKongAdminServer();
    try {
      kong.failNext('hang', 1, '/routes');
      kong.failNext(503, 1, '/services');
      const status = await probeHttp(`${kong.url}/status`, ctx);
      const services = await probeHttp(`${kong.url}/services`, ctx);
      const routes = await probeHttp(`${kong.url}/routes`, {
        ...ctx,
        timeoutMs: 200,
      });
      expect(status).toMatchObject({ status: 200 });
      expect(services).toMatchObject({ status: 503 });
      expect(routes).toMatchObject({ kind: 'failure', failure: 'timeout' });
    } finally {
      await kong.close();
    }
  });
});

describe('ContractServerProcess', () => {
  it('hosts servers in a child process, controllable over IPC', async () => {
    const processHost = new ContractServerProcess();
    try {
      const vault = await processHost.start('vault', { latencyMs: 20 });
      const first = await probeHttp(`${vault.url}/v1/sys/health`, ctx, {
        expectJson: true,
      });
      expect(first).toMatchObject({ status: 200, json: { sealed: false } });
      expect(first.latencyMs).toBeGreaterThanOrEqual(19);
      await vault.patchState({ sealed: true });
      await expect(
        probeHttp(`${vault.url}/v1/sys/health`, ctx),
      ).resolves.toMatchObject({ status: 503 });
      await vault.failNext('hang');
      await expect(
        probeHttp(`${vault.url}/v1/sys/health`, { ...ctx, timeoutMs: 150 }),
      ).resolves.toMatchObject({ failure: 'timeout' });
      expect((await vault.stats()).requestCount).toBe(3);
      expect(typeof vault.extras.rootToken).toBe('string');
    } finally {
      await processHost.stop();
    }
  });
});
