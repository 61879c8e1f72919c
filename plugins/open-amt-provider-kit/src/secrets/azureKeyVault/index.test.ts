import {
  createMpsKeyVaultSecretManager,
  createRpsKeyVaultSecretManager,
} from '.';
import { recordingLogger } from '../../__testUtils__/keyVault';

describe('the Key Vault bundles’ factories', () => {
  const host = {
    config: {
      vault_address: 'https://oamt-prod.vault.azure.net',
      secrets_path: 'open-amt-prod-',
      vault_token: 'unused',
    },
  };

  it.each([
    [
      'MPS',
      createMpsKeyVaultSecretManager,
      ['getAMTCredentials', 'getMPSCerts'],
    ],
    ['RPS', createRpsKeyVaultSecretManager, []],
  ] as const)(
    '%s: a secret manager with the host interface’s methods, configured from the host config alone',
    (_, create, extra) => {
      const manager = create(recordingLogger(), host) as any;
      for (const method of [
        'getSecretFromKey',
        'getSecretAtPath',
        'writeSecretWithObject',
        'deleteSecretAtPath',
        'health',
        ...extra,
      ])
        expect(typeof manager[method]).toBe('function');
    },
  );

  it('refuses to start without the vault URL (no silent default store)', () => {
    expect(() =>
      createMpsKeyVaultSecretManager(recordingLogger(), { config: {} }),
    ).toThrow(/vault_address/);
    expect(() =>
      createRpsKeyVaultSecretManager(recordingLogger(), {
        config: { vault_address: 'http://oamt-prod.vault.azure.net' },
      }),
    ).toThrow(/https/);
  });
});
