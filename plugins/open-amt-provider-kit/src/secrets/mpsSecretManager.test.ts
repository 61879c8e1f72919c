import type { SecretEntryStore } from './store';
import { MpsSecretManager } from './mpsSecretManager';
import { RpsSecretManager } from './rpsSecretManager';
import { recordingLogger, startKitKeyVault } from '../__testUtils__/keyVault';

type Kit = Awaited<ReturnType<typeof startKitKeyVault>>;

const GUID = '4c4c4544-004b-4210-8033-b6c04f504633';
const PASSWORD = 'P@ssw0rd-4c4c';
const CERTS = {
  mps_tls_config: { cert: 'CERT', key: 'KEY', minVersion: 'TLSv1.2' },
  web_tls_config: { ca: 'CA', cert: 'CERT', key: 'KEY' },
  root_key: 'ROOT-KEY-SECRET',
};

/** A store that turns every failure into "absent": the defect the MPSCerts rule guards against. */
const swallowing = (store: SecretEntryStore): SecretEntryStore => ({
  ...store,
  read: path => store.read(path).catch(() => null),
});

/**
 * MPS's secrets provider over the Key Vault store, through the real SDK against the stand-in; cases from mps
 * v2.34.1 (= v2.13.21) src/secrets/vault/index.test.ts, answered by a real store instead of mocks of got.
 */
describe('MpsSecretManager over Key Vault', () => {
  let kit: Kit;
  let logger: ReturnType<typeof recordingLogger>;
  let mps: MpsSecretManager;

  beforeEach(async () => {
    kit = await startKitKeyVault();
    logger = recordingLogger();
    mps = new MpsSecretManager(kit.storeFor(), logger);
  });
  afterEach(async () => {
    // Secrets never reach the host's log.
    if (/P@ssw0rd|ROOT-KEY-SECRET/.test(logger.lines.join('\n')))
      throw new Error('a secret value reached the host log');
    await kit.close();
  });

  it('writes Vault-shaped bodies ({ data }) and answers getSecretAtPath with Vault’s data object', async () => {
    await expect(
      mps.writeSecretWithObject(`devices/${GUID}`, {
        data: { AMT_PASSWORD: PASSWORD, MPS_PASSWORD: 'mps' },
      }),
    ).resolves.toBe(true);
    const [version] = kit.kv.state.secrets[`open-amt-prod-devices-${GUID}`];
    expect(JSON.parse(version.value)).toEqual({
      AMT_PASSWORD: PASSWORD,
      MPS_PASSWORD: 'mps',
    });
    await expect(mps.getSecretAtPath(`devices/${GUID}`)).resolves.toEqual({
      data: { AMT_PASSWORD: PASSWORD, MPS_PASSWORD: 'mps' },
      metadata: { version: version.version },
    });
    await expect(
      mps.getSecretFromKey(`devices/${GUID}`, 'MPS_PASSWORD'),
    ).resolves.toBe('mps');
    await expect(
      mps.getSecretFromKey(`devices/${GUID}`, 'NOPE'),
    ).resolves.toBeNull();
    await expect(mps.getAMTCredentials(GUID)).resolves.toEqual([
      'admin',
      PASSWORD,
    ]);
  });

  it('refuses a body without a data object, as Vault does (false)', async () => {
    await expect(mps.writeSecretWithObject('MPSCerts', CERTS)).resolves.toBe(
      false,
    );
    expect(kit.kv.state.secrets).toEqual({});
  });

  it('returns null for absent secrets and credentials without AMT_PASSWORD', async () => {
    await expect(mps.getSecretAtPath('devices/absent')).resolves.toBeNull();
    await expect(mps.getAMTCredentials('absent')).resolves.toBeNull();
    await mps.writeSecretWithObject(`devices/${GUID}`, {
      data: { MPS_PASSWORD: 'm' },
    });
    await expect(mps.getAMTCredentials(GUID)).resolves.toBeNull();
    await expect(mps.getMPSCerts()).resolves.toBeNull();
  });

  it('like its Vault provider, answers null (and logs) when the store fails for reads by path or key, false for writes', async () => {
    await mps.writeSecretWithObject(`devices/${GUID}`, {
      data: { AMT_PASSWORD: PASSWORD },
    });
    kit.kv.failNext(500);
    await expect(mps.getSecretAtPath(`devices/${GUID}`)).resolves.toBeNull();
    kit.kv.failNext('reset');
    await expect(
      mps.getSecretFromKey(`devices/${GUID}`, 'AMT_PASSWORD'),
    ).resolves.toBeNull();
    kit.kv.failNext(503);
    await expect(
      mps.writeSecretWithObject('MPSCerts', { data: CERTS }),
    ).resolves.toBe(false);
    expect(logger.lines.filter(l => l.startsWith('error'))).toHaveLength(3);
  });

  it('getMPSCerts: the stored certificates; a failing store throws instead of inviting a new CIRA root', async () => {
    await expect(
      mps.writeSecretWithObject('MPSCerts', { data: CERTS }),
    ).resolves.toBe(true);
    await expect(mps.getMPSCerts()).resolves.toEqual(CERTS);
    kit.kv.failNext(500);
    await expect(mps.getMPSCerts()).rejects.toThrow(/HTTP 500/);
  });

  it('negative: over a store that answers failures as absent, getMPSCerts would return null', async () => {
    const defective = new MpsSecretManager(swallowing(kit.storeFor()), logger);
    await defective.writeSecretWithObject('MPSCerts', { data: CERTS });
    kit.kv.failNext(500);
    // The assertion of the test above (rejects) fails for it: the failure reads as "no certificates".
    await expect(defective.getMPSCerts()).resolves.toBeNull();
  });

  it('deleteSecretAtPath removes, the device can be written again at once, and a failing delete throws', async () => {
    kit.kv.state.operationLag = 3;
    await mps.writeSecretWithObject(`devices/${GUID}`, {
      data: { AMT_PASSWORD: 'old' },
    });
    await mps.deleteSecretAtPath(`devices/${GUID}`);
    await expect(mps.getAMTCredentials(GUID)).resolves.toBeNull();
    await expect(
      mps.writeSecretWithObject(`devices/${GUID}`, {
        data: { AMT_PASSWORD: PASSWORD },
      }),
    ).resolves.toBe(true);
    await expect(mps.getAMTCredentials(GUID)).resolves.toEqual([
      'admin',
      PASSWORD,
    ]);
    kit.kv.failNext(500);
    await expect(mps.deleteSecretAtPath(`devices/${GUID}`)).rejects.toThrow(
      /HTTP 500/,
    );
  });

  it('health: what MPS’s health route counts as up (initialized, not sealed); throws when the vault fails', async () => {
    const health = await mps.health();
    expect(health.initialized === true && health.sealed === false).toBe(true);
    kit.kv.failNext(500);
    await expect(mps.health()).rejects.toThrow(/HTTP 500/);
  });

  it('shares entries with RPS: RPS’s device secret gives MPS its credentials, MPS’s certificates reach RPS', async () => {
    const rps = new RpsSecretManager(kit.storeFor(), logger);
    await rps.writeSecretWithObject(`devices/${GUID}`, {
      AMT_PASSWORD: PASSWORD,
      MPS_PASSWORD: 'mps',
    });
    await expect(mps.getAMTCredentials(GUID)).resolves.toEqual([
      'admin',
      PASSWORD,
    ]);
    await expect(
      mps.getSecretFromKey(`devices/${GUID}`, 'MPS_PASSWORD'),
    ).resolves.toBe('mps');
    await mps.writeSecretWithObject('MPSCerts', { data: CERTS });
    await expect(rps.getSecretAtPath('MPSCerts')).resolves.toMatchObject({
      root_key: CERTS.root_key,
    });
  });
});
