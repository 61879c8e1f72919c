import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import {
  KeyVaultContractServer,
  startKeyVaultServer,
  startSilentSocketServer,
  staticTokenCredential,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { ProbeContext, SecretStoreAuth } from '../types';
import { azureKeyVaultAdapter } from './azureKeyVault';
import { parseSecretRef } from './refs';

const ctx = (timeoutMs = 3000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
});

describe('azureKeyVaultAdapter (real @azure/keyvault-secrets against the Key Vault contract server)', () => {
  let kv: KeyVaultContractServer;
  let spec: Extract<SecretsSpec, { provider: 'azure-key-vault' }>;
  let auth: SecretStoreAuth;

  beforeEach(async () => {
    kv = await startKeyVaultServer();
    spec = {
      provider: 'azure-key-vault',
      vaultUrl: kv.url,
      prefix: 'open-amt-prod',
    };
    auth = { kind: 'azure', credential: kv.credential, ca: kv.ca };
  });
  afterEach(() => kv.close());
  afterAll(() => closeIdleProbeConnections());

  it('answers the challenge, then writes one JSON secret per entry named <prefix>-<name>', async () => {
    const results = await azureKeyVaultAdapter.write(
      spec,
      auth,
      { 'mps.web': { user: 'admin', password: 'P@ssw0rd!' } },
      { rotate: false },
    );
    expect(results).toEqual([
      {
        ref: `azure-key-vault:${kv.url}/open-amt-prod-mps-web`,
        written: true,
        // The version id Key Vault gave the new version.
        version: kv.state.secrets['open-amt-prod-mps-web'][0].version,
      },
    ]);
    expect(kv.state.secrets['open-amt-prod-mps-web']).toHaveLength(1);
    expect(
      JSON.parse(kv.state.secrets['open-amt-prod-mps-web'][0].value),
    ).toEqual({ user: 'admin', password: 'P@ssw0rd!' });
    expect(kv.state.secrets['open-amt-prod-mps-web'][0].contentType).toBe(
      'application/json',
    );
    // The SDK's first request went out without a token and got the challenge.
    expect(kv.requests[0].headers.authorization).toBeUndefined();
    expect(
      kv.requests.some(r => r.headers.authorization === `Bearer ${kv.token}`),
    ).toBe(true);
    await expect(
      azureKeyVaultAdapter.read(spec, auth, 'mps.web'),
    ).resolves.toEqual({ user: 'admin', password: 'P@ssw0rd!' });
    await expect(
      azureKeyVaultAdapter.read(spec, auth, 'absent'),
    ).resolves.toBeUndefined();
  });

  it('never overwrites an existing secret without rotate, and adds a version with rotate', async () => {
    await azureKeyVaultAdapter.write(
      spec,
      auth,
      { mps: { v: 'first' } },
      { rotate: false },
    );
    const again = await azureKeyVaultAdapter.write(
      spec,
      auth,
      { mps: { v: 'second' }, rps: { v: 'r' } },
      { rotate: false },
    );
    expect(again.map(r => r.written)).toEqual([false, true]);
    await expect(azureKeyVaultAdapter.read(spec, auth, 'mps')).resolves.toEqual(
      { v: 'first' },
    );
    const rotated = await azureKeyVaultAdapter.write(
      spec,
      auth,
      { mps: { v: 'second' } },
      { rotate: true },
    );
    expect(rotated[0].written).toBe(true);
    expect(kv.state.secrets['open-amt-prod-mps']).toHaveLength(2);
    await expect(azureKeyVaultAdapter.read(spec, auth, 'mps')).resolves.toEqual(
      { v: 'second' },
    );
  });

  it('fails on a token the vault rejects (401) or one without rights (403), writing nothing', async () => {
    const stranger: SecretStoreAuth = {
      kind: 'azure',
      credential: staticTokenCredential('someone-else'),
      ca: kv.ca,
    };
    await expect(
      azureKeyVaultAdapter.write(
        spec,
        stranger,
        { mps: { v: 'x' } },
        { rotate: false },
      ),
    ).rejects.toThrow(/Key Vault write to .* failed/);
    kv.state.tokens.readonly = 'none';
    const noRights: SecretStoreAuth = {
      kind: 'azure',
      credential: staticTokenCredential('readonly'),
      ca: kv.ca,
    };
    await expect(
      azureKeyVaultAdapter.write(
        spec,
        noRights,
        { mps: { v: 'x' } },
        { rotate: false },
      ),
    ).rejects.toThrow(/does not have secrets get permission/);
    expect(kv.state.secrets).toEqual({});
  });

  it('explains a deleted-but-recoverable name', async () => {
    kv.state.deleted['open-amt-prod-mps'] = true;
    await expect(
      azureKeyVaultAdapter.write(
        spec,
        auth,
        { mps: { v: 'x' } },
        { rotate: true },
      ),
    ).rejects.toThrow(/recover or purge/);
  });

  describe('probe (canary getSecret)', () => {
    it('is healthy when the canary is absent (404 proves the vault answers with our identity)', async () => {
      const result = await azureKeyVaultAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({
        status: 'healthy',
        details: { canary: 'open-amt-prod-health-canary', canaryFound: false },
      });
      expect(result.latencyMs).toEqual(expect.any(Number));
    });

    it('is degraded with an authentication problem on 401', async () => {
      const result = await azureKeyVaultAdapter.probe(
        spec,
        {
          kind: 'azure',
          credential: staticTokenCredential('wrong-tenant'),
          ca: kv.ca,
        },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'degraded',
        details: { accessProblem: 'authentication', httpStatus: 401 },
      });
    });

    it('is degraded with an authorization problem on 403', async () => {
      kv.state.tokens.readonly = 'none';
      const result = await azureKeyVaultAdapter.probe(
        spec,
        {
          kind: 'azure',
          credential: staticTokenCredential('readonly'),
          ca: kv.ca,
        },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'degraded',
        details: { accessProblem: 'authorization', httpStatus: 403 },
      });
    });

    it('is down on a server error, and unknown when the portal has no token', async () => {
      kv.failNext(503);
      await expect(
        azureKeyVaultAdapter.probe(spec, auth, ctx()),
      ).resolves.toMatchObject({
        status: 'down',
        details: { httpStatus: 503 },
      });
      const noToken = {
        getToken: async () => {
          throw Object.assign(new Error('no managed identity endpoint'), {
            name: 'CredentialUnavailableError',
          });
        },
      };
      await expect(
        azureKeyVaultAdapter.probe(
          { ...spec },
          { kind: 'azure', credential: noToken, ca: kv.ca },
          ctx(),
        ),
      ).resolves.toMatchObject({ status: 'unknown' });
    });

    it('is down with a TLS error when the certificate is not trusted', async () => {
      const result = await azureKeyVaultAdapter.probe(
        spec,
        { kind: 'azure', credential: kv.credential },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'down',
        details: { failure: 'tls_error' },
      });
    });

    it('is down within the budget when the vault never answers', async () => {
      const silent = await startSilentSocketServer();
      try {
        const started = Date.now();
        const result = await azureKeyVaultAdapter.probe(
          { ...spec, vaultUrl: silent.url.replace('http:', 'https:') },
          auth,
          ctx(300),
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { failure: 'timeout' },
        });
        expect(Date.now() - started).toBeLessThan(700);
      } finally {
        await silent.close();
      }
    });
  });

  it('builds references that parseSecretRef reads back', () => {
    expect(parseSecretRef(azureKeyVaultAdapter.refFor(spec, 'mps'))).toEqual({
      provider: 'azure-key-vault',
      vaultUrl: kv.url,
      secretName: 'open-amt-prod-mps',
      name: 'open-amt-prod-mps',
    });
  });
});
