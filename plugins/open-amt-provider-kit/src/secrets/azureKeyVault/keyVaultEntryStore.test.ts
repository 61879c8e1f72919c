import https from 'node:https';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretEntryStore } from '../store';
import {
  FOREIGN_HOST,
  SECRETS_PATH,
  startKitKeyVault,
  VAULT_HOST,
} from '../../__testUtils__/keyVault';
import { keyVaultLocationFromHost } from '.';

type Kit = Awaited<ReturnType<typeof startKitKeyVault>>;

const GUID = '4c4c4544-004b-4210-8033-b6c04f504633';

/**
 * Stores with one defect each, over the same SDK client, to show the tests below catch it: no recovery of a
 * soft-deleted name, recovery without waiting for the poller, purge instead of recovery, no check of which path a
 * secret holds.
 */
type Defect = 'no-recover' | 'no-wait' | 'purge' | 'no-path-check';
function defectiveStore(kit: Kit, defect: Defect): SecretEntryStore {
  const client = new SecretClient(kit.urlOf(VAULT_HOST), kit.credential, {
    agent: kit.agent,
    retryOptions: { maxRetries: 0 },
  });
  const name = (path: string) =>
    `${SECRETS_PATH}${path}`.replace(/[^0-9a-zA-Z-]+/g, '-').slice(0, 127);
  const set = async (path: string, value: Record<string, unknown>) => ({
    version:
      (await client.setSecret(name(path), JSON.stringify(value))).properties
        .version ?? '',
  });
  return {
    async read(path) {
      try {
        const secret = await client.getSecret(name(path));
        return {
          value: JSON.parse(secret.value ?? ''),
          version: secret.properties.version ?? '',
        };
      } catch (error: any) {
        if (error.statusCode === 404) return null;
        throw error;
      }
    },
    async write(path, value) {
      try {
        return await set(path, value);
      } catch (error: any) {
        if (error.statusCode !== 409 || defect === 'no-recover') throw error;
      }
      if (defect === 'purge') await client.purgeDeletedSecret(name(path));
      else await client.beginRecoverDeletedSecret(name(path)); // no pollUntilDone
      return set(path, value);
    },
    async remove(path) {
      const poller = await client.beginDeleteSecret(name(path), {
        intervalInMs: 5,
      });
      await poller.pollUntilDone();
    },
    async health() {
      return {};
    },
  };
}

describe('KeyVaultEntryStore (real @azure/keyvault-secrets against the Key Vault stand-in)', () => {
  let kit: Kit;
  let store: SecretEntryStore & { nameOf(path: string): string };

  beforeEach(async () => {
    kit = await startKitKeyVault();
    store = kit.storeFor();
  });
  afterEach(() => kit.close());

  it('round-trips an entry as one JSON secret; the version is the secret version id', async () => {
    const written = await store.write(`devices/${GUID}`, {
      AMT_PASSWORD: 'P@ssw0rd',
    });
    const name = `open-amt-prod-devices-${GUID}`;
    const stored = kit.kv.state.secrets[name];
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0].value)).toEqual({ AMT_PASSWORD: 'P@ssw0rd' });
    expect(stored[0].contentType).toBe('application/json');
    expect(written.version).toBe(stored[0].version);
    expect(await store.read(`devices/${GUID}`)).toEqual({
      value: { AMT_PASSWORD: 'P@ssw0rd' },
      version: stored[0].version,
    });
    const again = await store.write(`devices/${GUID}`, { AMT_PASSWORD: 'x' });
    expect(again.version).not.toBe(written.version);
    expect((await store.read(`devices/${GUID}`))?.version).toBe(again.version);
  });

  it('answers null only for an absent entry and throws when the vault fails or cannot be reached', async () => {
    expect(await store.read('devices/absent')).toBeNull();
    kit.kv.failNext(500);
    await expect(store.read('devices/absent')).rejects.toThrow(/HTTP 500/);
    kit.kv.failNext('reset');
    await expect(store.read('devices/absent')).rejects.toThrow(
      /Key Vault read of open-amt-prod-devices-absent failed/,
    );
  });

  it('lets the SDK retry a passing failure with its default retries', async () => {
    await store.write('MPSCerts', { root_key: 'k' });
    kit.kv.failNext(503);
    await expect(
      kit.storeFor({ retries: 3 }).read('MPSCerts'),
    ).resolves.toMatchObject({ value: { root_key: 'k' } });
  });

  it('throws when a token is refused (403), never null', async () => {
    kit.kv.state.issued = {};
    kit.kv.state.tokens = {};
    // Tokens minted from now on are for the right audience but this identity has no rights.
    const noRights = kit.storeFor();
    const original = kit.credential.getToken.bind(kit.credential);
    kit.credential.getToken = async (scopes, opts) => {
      const token = await original(scopes, opts);
      kit.kv.state.tokens[token.token] = 'none';
      delete kit.kv.state.issued[token.token];
      return token;
    };
    await expect(noRights.read('MPSCerts')).rejects.toThrow(/HTTP 403/);
  });

  describe('names: the portal naming (azureSecretName), one secret per path the services use', () => {
    it.each([
      [`devices/${GUID}`, `open-amt-prod-devices-${GUID}`],
      ['MPSCerts', 'open-amt-prod-MPSCerts'],
      ['profiles/acm_profile.1', 'open-amt-prod-profiles-acm-profile-1'],
      ['CIRAConfigs/cira-config_1', 'open-amt-prod-CIRAConfigs-cira-config-1'],
      ['certs/domain1', 'open-amt-prod-certs-domain1'],
      ['TLS/profile1', 'open-amt-prod-TLS-profile1'],
      ['Wireless/wifi1', 'open-amt-prod-Wireless-wifi1'],
    ])('%s is stored as %s', async (path, name) => {
      await store.write(path, { v: path });
      expect(Object.keys(kit.kv.state.secrets)).toEqual([name]);
      expect(store.nameOf(path)).toBe(name);
      expect((await store.read(path))?.value).toEqual({ v: path });
    });

    it('cuts names at 127 characters, and two paths that then share a name never see each other', async () => {
      const long = `profiles/${'p'.repeat(200)}`;
      const other = `profiles/${'p'.repeat(200)}x`;
      await store.write(long, { AMT_PASSWORD: 'first' });
      const [name] = Object.keys(kit.kv.state.secrets);
      expect(name).toHaveLength(127);
      expect(name).toMatch(/^[0-9a-zA-Z-]{127}$/);
      expect(await store.read(other)).toBeNull();
      await expect(
        store.write(other, { AMT_PASSWORD: 'second' }),
      ).rejects.toThrow(/map to the same name/);
      await store.remove(other);
      expect((await store.read(long))?.value).toEqual({
        AMT_PASSWORD: 'first',
      });
    });

    it('keeps paths apart that differ only in case or punctuation (Key Vault names are case-insensitive)', async () => {
      await store.write('profiles/Office', { AMT_PASSWORD: 'upper' });
      expect(await store.read('profiles/office')).toBeNull();
      await expect(
        store.write('profiles/office', { AMT_PASSWORD: 'lower' }),
      ).rejects.toThrow(/map to the same name/);
      await store.write('profiles/a_b', { AMT_PASSWORD: 'underscore' });
      expect(await store.read('profiles/a.b')).toBeNull();
      expect((await store.read('profiles/Office'))?.value).toEqual({
        AMT_PASSWORD: 'upper',
      });
    });

    it('negative: a store without the path check hands one path the other path’s secret', async () => {
      const naive = defectiveStore(kit, 'no-path-check');
      await naive.write('profiles/a_b', { AMT_PASSWORD: 'underscore' });
      // The assertion of the test above (null for the other path) fails for it.
      expect(await naive.read('profiles/a-b')).toEqual({
        value: { AMT_PASSWORD: 'underscore' },
        version: expect.any(String),
      });
    });

    it('takes the prefix from secrets_path and the vault from vault_address (https only)', () => {
      expect(
        keyVaultLocationFromHost({
          config: {
            vault_address: 'https://v1.vault.azure.net/',
            secrets_path: 'p-d-',
          },
        }),
      ).toEqual({ vaultUrl: 'https://v1.vault.azure.net', prefix: 'p-d-' });
      for (const vault_address of [
        undefined,
        'http://v1.vault.azure.net',
        'v1',
      ])
        expect(() =>
          keyVaultLocationFromHost({ config: { vault_address } }),
        ).toThrow(/vault_address/);
    });
  });

  describe('soft delete: remove() leaves the path writable at once', () => {
    /** Delete an entry, create it again, read the new value: what MPS and RPS do when a device is re-provisioned. */
    async function recreate(s: SecretEntryStore) {
      await s.write(`devices/${GUID}`, { AMT_PASSWORD: 'old' });
      await s.remove(`devices/${GUID}`);
      expect(await s.read(`devices/${GUID}`)).toBeNull();
      const written = await s.write(`devices/${GUID}`, { AMT_PASSWORD: 'new' });
      expect(await s.read(`devices/${GUID}`)).toEqual({
        value: { AMT_PASSWORD: 'new' },
        version: written.version,
      });
    }

    beforeEach(() => {
      // Deletes and recoveries finish three requests later: a client that does not poll sees them unfinished.
      kit.kv.state.operationLag = 3;
    });

    it('deletes softly, then recovers the deleted name (waiting for the poller) and writes the new value', async () => {
      await recreate(store);
      const name = `open-amt-prod-devices-${GUID}`;
      expect(kit.kv.state.deleted[name]).toBeUndefined();
      const paths = kit.kv.requests.map(r => `${r.method} ${r.path}`);
      expect(paths).toContain(`DELETE /secrets/${name}`);
      expect(paths).toContain(`POST /deletedsecrets/${name}/recover`);
      expect(paths).not.toContain(`DELETE /deletedsecrets/${name}`);
    });

    it('works the same where purge is allowed (it never purges: purge cannot be polled)', async () => {
      kit.kv.state.purgeProtection = false;
      await recreate(store);
      expect(
        kit.kv.requests.filter(
          r => r.method === 'DELETE' && r.path.startsWith('/deletedsecrets/'),
        ),
      ).toEqual([]);
    });

    it('removing an absent entry is not an error, and a failing delete throws', async () => {
      await expect(store.remove('devices/absent')).resolves.toBeUndefined();
      await store.write('Wireless/w1', { PSK_PASSPHRASE: 'x' });
      kit.kv.failNext(500, 1, '/secrets/open-amt-prod-Wireless-w1');
      await expect(store.remove('Wireless/w1')).rejects.toThrow(/HTTP 500/);
    });

    it('negative: a store that does not recover fails with 409 ObjectIsDeletedButRecoverable', async () => {
      await expect(recreate(defectiveStore(kit, 'no-recover'))).rejects.toThrow(
        /deleted but recoverable/,
      );
    });

    it('negative: a store that recovers without waiting for the poller hits the unfinished recovery', async () => {
      await expect(recreate(defectiveStore(kit, 'no-wait'))).rejects.toThrow(
        /being recovered/,
      );
    });

    it('negative: a store that purges is refused by purge protection (403), and without it sees the purge unfinished', async () => {
      await expect(recreate(defectiveStore(kit, 'purge'))).rejects.toThrow(
        /purge protection is enabled/,
      );
      kit.kv.state.purgeProtection = false;
      kit.kv.state.deleted = {};
      kit.kv.state.secrets = {};
      await expect(recreate(defectiveStore(kit, 'purge'))).rejects.toThrow(
        /being deleted/,
      );
    });
  });

  describe('the token goes only to the vault it was issued for', () => {
    it('asks the credential only for the challenge resource and tenant, and sends the token only after the challenge', async () => {
      await store.write('MPSCerts', { root_key: 'k' });
      expect(kit.credential.tokenRequests).toEqual([
        {
          scopes: ['https://vault.azure.net/.default'],
          tenantId: kit.kv.state.tenantId,
        },
      ]);
      expect(kit.kv.requests[0].headers.authorization).toBeUndefined();
      expect(kit.kv.requests[0].body).toBe('');
    });

    it('refuses a challenge whose resource domain does not cover the vault host: no token is asked for or sent', async () => {
      const foreign = kit.storeFor({ host: FOREIGN_HOST });
      await expect(foreign.read('MPSCerts')).rejects.toThrow(
        /does not match the requested domain/,
      );
      const forced = new (store.constructor as any)({
        ...keyVaultLocationFromHost({
          config: { vault_address: kit.urlOf(FOREIGN_HOST) },
        }),
        credential: kit.credential,
        // A caller cannot switch the check off: the store sets it back.
        clientOptions: {
          agent: kit.agent,
          retryOptions: { maxRetries: 0 },
          disableChallengeResourceVerification: true,
        },
      });
      await expect(forced.read('MPSCerts')).rejects.toThrow(
        /does not match the requested domain/,
      );
      expect(kit.credential.tokenRequests).toEqual([]);
      expect(kit.kv.requests.every(r => !r.headers.authorization)).toBe(true);
    });

    it('the stand-in refuses a token issued for another audience', async () => {
      kit.kv.state.challengeResource = 'https://vault.azure.net';
      const token = await kit.credential.getToken(
        'https://management.azure.com/.default',
        { tenantId: kit.kv.state.tenantId },
      );
      const response = await fetchWithToken(kit, token.token);
      expect(response).toMatch(/Invalid audience/);
    });
  });

  it('health lists one page of secret properties and fails when the vault does', async () => {
    await expect(store.health()).resolves.toEqual({
      store: 'azure-key-vault',
      vaultUrl: kit.urlOf(VAULT_HOST),
    });
    expect(kit.kv.requests.at(-1)?.path).toBe('/secrets');
    kit.kv.failNext(500);
    await expect(store.health()).rejects.toThrow(/HTTP 500/);
  });
});

async function fetchWithToken(kit: Kit, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${kit.urlOf(VAULT_HOST)}/secrets/x?api-version=7.5`,
        { agent: kit.agent, headers: { authorization: `Bearer ${token}` } },
        res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve(body));
        },
      )
      .on('error', reject);
  });
}
