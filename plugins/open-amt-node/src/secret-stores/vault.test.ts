import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import {
  createProbeMemory,
  startSilentSocketServer,
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { ProbeContext, SecretStoreAuth } from '../types';
import nodeVault from 'node-vault';
import { parseSecretRef } from './refs';
import { vaultAdapter } from './vault';

const ctx = (timeoutMs = 2000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
});

describe('vaultAdapter', () => {
  let vault: VaultContractServer;
  let spec: Extract<SecretsSpec, { provider: 'vault' }>;
  let auth: SecretStoreAuth;

  beforeEach(async () => {
    vault = await startVaultServer();
    spec = {
      provider: 'vault',
      address: vault.url,
      mount: 'kv',
      pathPrefix: `open-amt/prod-${process.pid}`,
    };
    auth = { kind: 'vault-token', token: vault.rootToken };
  });
  afterEach(() => vault.close());
  afterAll(() => closeIdleProbeConnections());

  describe('write and read', () => {
    it('writes KV v2 entries at <mount>/data/<prefix>/<name> and reads them back', async () => {
      const results = await vaultAdapter.write(
        spec,
        auth,
        { mps: { jwtSecret: 'abc-DEF-123', adminPassword: 'P@ssw0rd!' } },
        { rotate: false },
      );
      expect(results).toEqual([
        // The KV v2 version the write created (the first).
        {
          ref: `vault:kv/open-amt/prod-${process.pid}/mps`,
          written: true,
          version: '1',
        },
      ]);
      expect(
        vault.state.kv[`kv/open-amt/prod-${process.pid}/mps`].versions,
      ).toHaveLength(1);
      const write = vault.requests.find(r => r.method === 'POST');
      expect(write?.path).toBe(`/v1/kv/data/open-amt/prod-${process.pid}/mps`);
      expect(write?.json()).toMatchObject({ options: { cas: 0 } });
      await expect(vaultAdapter.read(spec, auth, 'mps')).resolves.toEqual({
        jwtSecret: 'abc-DEF-123',
        adminPassword: 'P@ssw0rd!',
      });
      await expect(
        vaultAdapter.read(spec, auth, 'absent'),
      ).resolves.toBeUndefined();
    });

    it('never overwrites an existing value without rotate (check-and-set 0)', async () => {
      await vaultAdapter.write(
        spec,
        auth,
        { mps: { v: 'first' } },
        { rotate: false },
      );
      const again = await vaultAdapter.write(
        spec,
        auth,
        { mps: { v: 'second' }, rps: { v: 'new' } },
        { rotate: false },
      );
      expect(again.map(r => r.written)).toEqual([false, true]);
      await expect(vaultAdapter.read(spec, auth, 'mps')).resolves.toEqual({
        v: 'first',
      });
      expect(
        vault.state.kv[`kv/open-amt/prod-${process.pid}/mps`].versions,
      ).toHaveLength(1);
    });

    it('rotates with check-and-set on the current version', async () => {
      await vaultAdapter.write(
        spec,
        auth,
        { mps: { v: 'first' } },
        { rotate: false },
      );
      const rotated = await vaultAdapter.write(
        spec,
        auth,
        { mps: { v: 'second' } },
        { rotate: true },
      );
      expect(rotated[0].written).toBe(true);
      await expect(vaultAdapter.read(spec, auth, 'mps')).resolves.toEqual({
        v: 'second',
      });
      const writes = vault.requests
        .filter(r => r.method === 'POST')
        .map(r => r.json().options.cas);
      expect(writes).toEqual([0, 1]);
    });

    it('fails with Vault’s reason on a bad token (403) and writes nothing', async () => {
      const bad: SecretStoreAuth = {
        kind: 'vault-token',
        token: 'hvs.not-a-token',
      };
      await expect(
        vaultAdapter.write(spec, bad, { mps: { v: 'x' } }, { rotate: false }),
      ).rejects.toThrow(/permission denied/);
      await expect(vaultAdapter.read(spec, bad, 'mps')).rejects.toThrow(
        /permission denied/,
      );
      expect(vault.state.kv).toEqual({});
    });

    it('fails clearly while Vault is sealed', async () => {
      vault.state.sealed = true;
      await expect(
        vaultAdapter.write(spec, auth, { mps: { v: 'x' } }, { rotate: false }),
      ).rejects.toThrow(/Vault is sealed/);
    });
  });

  describe('probe', () => {
    it('is healthy when active, unsealed, token valid and the KV v2 mount exists', async () => {
      const result = await vaultAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({
        status: 'healthy',
        details: {
          healthCode: 200,
          version: '1.18.3',
          sealed: false,
          mountFound: true,
          mountVersion: '2',
        },
      });
      expect(result.latencyMs).toEqual(expect.any(Number));
      expect(JSON.stringify(result)).not.toContain(vault.rootToken);
    });

    it.each([
      ['sealed', 'down', 503, /sealed/, { sealed: true }],
      ['uninitialized', 'down', 501, /not initialized/, { initialized: false }],
      ['standby', 'degraded', 429, /standby/, { standby: true }],
      [
        'performance standby',
        'degraded',
        473,
        /performance standby/,
        { performanceStandby: true },
      ],
      ['DR secondary', 'down', 472, /disaster-recovery/, { drSecondary: true }],
      [
        'standby without its active node',
        'down',
        474,
        /cannot reach the active/,
        { standby: true, haConnectionHealthy: false },
      ],
    ] as const)(
      '%s → %s (sys/health %d)',
      async (_name, status, code, message, flags) => {
        Object.assign(vault.state, flags);
        const result = await vaultAdapter.probe(spec, auth, ctx());
        expect(result.status).toBe(status);
        expect(result.details?.healthCode).toBe(code);
        expect(result.message).toMatch(message);
      },
    );

    it('is degraded when the token expires within 24 h and is not renewable', async () => {
      vault.state.tokens['hvs.short'] = {
        policies: ['open-amt-probe'],
        ttl: 3600,
        renewable: false,
      };
      const result = await vaultAdapter.probe(
        spec,
        { kind: 'vault-token', token: 'hvs.short' },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'degraded',
        details: { tokenTtlSeconds: 3600, tokenRenewable: false },
      });
      expect(result.message).toMatch(/expires in 1 h/);
      vault.state.tokens['hvs.short'].renewable = true;
      await expect(
        vaultAdapter.probe(
          spec,
          { kind: 'vault-token', token: 'hvs.short' },
          ctx(),
        ),
      ).resolves.toMatchObject({ status: 'healthy' });
    });

    it('with a probe memory, asks only sys/health once token and mount are known, and all again after Vault was down', async () => {
      const memory = createProbeMemory();
      const asked = () => vault.requests.map(r => r.path.split('?')[0]);
      const first = await vaultAdapter.probe(spec, auth, { ...ctx(), memory });
      expect(first.status).toBe('healthy');
      expect(asked().sort()).toEqual([
        '/v1/auth/token/lookup-self',
        '/v1/sys/health',
        '/v1/sys/mounts',
      ]);

      vault.requests.length = 0;
      const second = await vaultAdapter.probe(spec, auth, { ...ctx(), memory });
      expect(asked()).toEqual(['/v1/sys/health']);
      expect(second).toMatchObject({
        status: 'healthy',
        details: {
          mountFound: true,
          mountVersion: '2',
          tokenRenewable: first.details?.tokenRenewable,
        },
      });

      vault.state.sealed = true;
      await expect(
        vaultAdapter.probe(spec, auth, { ...ctx(), memory }),
      ).resolves.toMatchObject({ status: 'down' });
      vault.state.sealed = false;
      vault.requests.length = 0;
      await expect(
        vaultAdapter.probe(spec, auth, { ...ctx(), memory }),
      ).resolves.toMatchObject({ status: 'healthy' });
      expect(asked().sort()).toEqual([
        '/v1/auth/token/lookup-self',
        '/v1/sys/health',
        '/v1/sys/mounts',
      ]);
    });

    it("asks sys/health exactly as node-vault's health() does: GET, the token, no query", async () => {
      await nodeVault({
        endpoint: `${vault.url}/`,
        token: vault.rootToken,
      }).health();
      const expected = vault.requests.at(-1)!;
      vault.requests.length = 0;
      const memory = createProbeMemory();
      await vaultAdapter.probe(spec, auth, { ...ctx(), memory });
      vault.requests.length = 0;
      // Token and mount remembered: sys/health is the only request.
      await vaultAdapter.probe({ ...spec, address: `${vault.url}/` }, auth, {
        ...ctx(),
        memory,
      });
      expect(vault.requests).toHaveLength(1);
      const [sent] = vault.requests;
      expect([sent.method, sent.path]).toEqual([
        expected.method,
        expected.path,
      ]);
      expect(sent.headers['x-vault-token']).toBe(vault.rootToken);
      expect(expected.headers['x-vault-token']).toBe(vault.rootToken);
    });

    it('with a probe memory, still looks up a token that nears expiry on every probe', async () => {
      vault.state.tokens['hvs.short'] = {
        policies: ['open-amt-probe'],
        ttl: 3600,
        renewable: true,
      };
      const shortAuth: SecretStoreAuth = {
        kind: 'vault-token',
        token: 'hvs.short',
      };
      const memory = createProbeMemory();
      await vaultAdapter.probe(spec, shortAuth, { ...ctx(), memory });
      vault.state.tokens['hvs.short'].renewable = false;
      vault.requests.length = 0;
      await expect(
        vaultAdapter.probe(spec, shortAuth, { ...ctx(), memory }),
      ).resolves.toMatchObject({ status: 'degraded' });
      expect(vault.requests.map(r => r.path.split('?')[0])).toContain(
        '/v1/auth/token/lookup-self',
      );
    });

    it('is degraded when the portal token is refused', async () => {
      const result = await vaultAdapter.probe(
        spec,
        { kind: 'vault-token', token: 'hvs.unknown' },
        ctx(),
      );
      expect(result.status).toBe('degraded');
      expect(result.message).toMatch(/token was refused \(403\)/);
    });

    it('is down when the KV mount does not exist', async () => {
      delete vault.state.mounts['kv/'];
      const result = await vaultAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({
        status: 'down',
        details: { mountFound: false },
      });
    });

    it('falls back to a read when a least-privilege token may not list mounts', async () => {
      vault.state.tokens['hvs.probe'] = {
        policies: ['open-amt-probe'],
        ttl: 0,
        renewable: false,
        denyPaths: ['sys/mounts'],
      };
      const probeAuth: SecretStoreAuth = {
        kind: 'vault-token',
        token: 'hvs.probe',
      };
      await expect(
        vaultAdapter.probe(spec, probeAuth, ctx()),
      ).resolves.toMatchObject({
        status: 'healthy',
        details: { mountCheckedBy: 'read' },
      });
      delete vault.state.mounts['kv/'];
      await expect(
        vaultAdapter.probe(spec, probeAuth, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { mountFound: false },
      });
    });

    it('is degraded when the mount is KV v1', async () => {
      vault.state.mounts['kv/'] = { type: 'kv', options: { version: '1' } };
      await expect(
        vaultAdapter.probe(spec, auth, ctx()),
      ).resolves.toMatchObject({
        status: 'degraded',
        details: { mountVersion: '1' },
      });
    });

    it('is down within the budget when Vault never answers', async () => {
      const silent = await startSilentSocketServer();
      try {
        const started = Date.now();
        const result = await vaultAdapter.probe(
          { ...spec, address: silent.url },
          auth,
          ctx(300),
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { failure: 'timeout' },
        });
        expect(Date.now() - started).toBeLessThan(600);
      } finally {
        await silent.close();
      }
    });

    it('is unknown when the address is not allowed', async () => {
      const result = await vaultAdapter.probe(
        { ...spec, address: 'http://169.254.169.254:8200' },
        auth,
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'unknown',
        details: { failure: 'host_not_allowed' },
      });
    });
  });

  it('builds references that parseSecretRef reads back', () => {
    const ref = vaultAdapter.refFor(spec, 'mps');
    expect(parseSecretRef(ref)).toEqual({
      provider: 'vault',
      mount: 'kv',
      pathPrefix: `open-amt/prod-${process.pid}`,
      name: 'mps',
    });
  });
});
