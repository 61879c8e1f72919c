import type { SecretEntryStore } from './store';
import { RpsSecretManager } from './rpsSecretManager';
import { recordingLogger, startKitKeyVault } from '../__testUtils__/keyVault';

type Kit = Awaited<ReturnType<typeof startKitKeyVault>>;

const GUID = '4c4c4544-004b-4210-8033-b6c04f504633';
const PASSWORD = 'P@ssw0rd-4c4c';

/** A store that turns every failure into "absent" (what RPS v2.22.14's Vault provider did). */
const swallowing = (store: SecretEntryStore): SecretEntryStore => ({
  ...store,
  read: path => store.read(path).catch(() => null),
});

/**
 * RPS's secrets provider over the Key Vault store, through the real SDK against the stand-in; cases from rps
 * v2.39.4 src/secrets/vault/index.test.ts (404 → null, 5xx and transport errors throw), answered by a real store.
 */
describe('RpsSecretManager over Key Vault', () => {
  let kit: Kit;
  let logger: ReturnType<typeof recordingLogger>;
  let rps: RpsSecretManager;

  beforeEach(async () => {
    kit = await startKitKeyVault();
    logger = recordingLogger();
    rps = new RpsSecretManager(kit.storeFor(), logger);
  });
  afterEach(async () => {
    // Secrets never reach the host's log.
    if (/P@ssw0rd/.test(logger.lines.join('\n')))
      throw new Error('a secret value reached the host log');
    await kit.close();
  });

  it('round-trips an entry with the store’s version, which changes with every write', async () => {
    const written = await rps.writeSecretWithObject(`devices/${GUID}`, {
      AMT_PASSWORD: PASSWORD,
      MEBX_PASSWORD: null,
    });
    const versions = () =>
      kit.kv.state.secrets[`open-amt-prod-devices-${GUID}`];
    expect(written).toEqual({ data: { version: versions()[0].version } });
    const read = await rps.getSecretAtPath(`devices/${GUID}`);
    expect(read).toEqual({
      AMT_PASSWORD: PASSWORD,
      MEBX_PASSWORD: null,
      version: versions()[0].version,
    });
    // changePassword writes back what it read (version included); the next read has the new version.
    await rps.writeSecretWithObject(`devices/${GUID}`, {
      ...read,
      AMT_PASSWORD: 'changed',
    });
    await expect(rps.getSecretAtPath(`devices/${GUID}`)).resolves.toMatchObject(
      {
        AMT_PASSWORD: 'changed',
        version: versions()[1].version,
      },
    );
    await expect(
      rps.getSecretFromKey(`devices/${GUID}`, 'AMT_PASSWORD'),
    ).resolves.toBe('changed');
    await expect(
      rps.getSecretFromKey(`devices/${GUID}`, 'NOPE'),
    ).resolves.toBeNull();
  });

  it('null only when absent; a vault error (5xx) or a transport error throws', async () => {
    await expect(rps.getSecretAtPath('Wireless/absent')).resolves.toBeNull();
    kit.kv.failNext(500);
    await expect(rps.getSecretAtPath('Wireless/absent')).rejects.toThrow(
      /HTTP 500/,
    );
    kit.kv.failNext('reset');
    await expect(rps.getSecretAtPath('Wireless/absent')).rejects.toThrow(
      /failed/,
    );
    // getSecretFromKey keeps answering null on failures, as at both tags.
    kit.kv.failNext(500);
    await expect(
      rps.getSecretFromKey('profiles/p1', 'AMT_PASSWORD'),
    ).resolves.toBeNull();
  });

  it('negative: over a store that answers failures as absent, the 5xx case would return null', async () => {
    const defective = new RpsSecretManager(swallowing(kit.storeFor()), logger);
    kit.kv.failNext(500);
    // The assertion of the test above (rejects) fails for it: the failure reads as "absent".
    await expect(
      defective.getSecretAtPath('Wireless/absent'),
    ).resolves.toBeNull();
  });

  it('writeSecretWithObject answers null when the store fails', async () => {
    kit.kv.failNext(500);
    await expect(
      rps.writeSecretWithObject('CIRAConfigs/c1', { MPS_PASSWORD: 'x' }),
    ).resolves.toBeNull();
  });

  it('deleteSecretAtPath: true, the path is writable again at once (soft delete recovered); false when the vault fails', async () => {
    kit.kv.state.operationLag = 3;
    await rps.writeSecretWithObject('profiles/acm', { AMT_PASSWORD: 'old' });
    await expect(rps.deleteSecretAtPath('profiles/acm')).resolves.toBe(true);
    await expect(rps.getSecretAtPath('profiles/acm')).resolves.toBeNull();
    await expect(
      rps.writeSecretWithObject('profiles/acm', { AMT_PASSWORD: PASSWORD }),
    ).resolves.toBeTruthy();
    await expect(rps.getSecretAtPath('profiles/acm')).resolves.toMatchObject({
      AMT_PASSWORD: PASSWORD,
    });
    kit.kv.failNext(500);
    await expect(rps.deleteSecretAtPath('profiles/acm')).resolves.toBe(false);
    await expect(rps.deleteSecretAtPath('profiles/absent')).resolves.toBe(true);
  });

  it('health: what RPS’s health route counts as up (initialized, not sealed); throws when the vault fails', async () => {
    const health = await rps.health();
    expect(health.initialized === true && health.sealed !== true).toBe(true);
    kit.kv.failNext(500);
    await expect(rps.health()).rejects.toThrow(/HTTP 500/);
  });

  it('negative: a store health passed through as is would read as down on the health route', async () => {
    const raw = await kit.storeFor().health();
    expect(raw.initialized === true && raw.sealed !== true).toBe(false);
  });
});
