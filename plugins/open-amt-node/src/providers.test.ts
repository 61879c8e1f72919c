import { ConfigReader } from '@backstage/config';
import { createProviderRegistries, mergeProviderAdapters } from './providers';
import { databaseAdapters } from './databases';
import { gatewayAdapters } from './gateways';
import { secretStoreAdapterForRef, secretStoreAdapters } from './secret-stores';
import type {
  DatabaseAdapter,
  GatewayAdapter,
  SecretStoreAdapter,
} from './types';

const gateway = (provider: string): GatewayAdapter<string> => ({
  provider,
  probe: async () => ({ status: 'healthy', message: `${provider} answered.` }),
});

describe('provider registries', () => {
  it('are the built-ins plus the added adapters', () => {
    const acme = gateway('acme-gateway');
    const { gateways, secretStores } = createProviderRegistries({
      gateways: [acme],
    });
    expect(Object.keys(gateways)).toEqual([
      ...Object.keys(gatewayAdapters),
      'acme-gateway',
    ]);
    expect(gateways['acme-gateway']).toBe(acme);
    expect(secretStores).toEqual(secretStoreAdapters);
  });

  it('refuse an id that is taken or malformed, naming it', () => {
    expect(() =>
      mergeProviderAdapters('gateway', gatewayAdapters, [gateway('tyk')]),
    ).toThrow('gateway adapter "tyk" clashes with a built-in gateway');
    expect(() =>
      mergeProviderAdapters('gateway', gatewayAdapters, [
        gateway('x'),
        gateway('x'),
      ]),
    ).toThrow('gateway adapter "x" clashes with another added gateway');
    expect(() =>
      mergeProviderAdapters('gateway', gatewayAdapters, [gateway('Acme:GW')]),
    ).toThrow('"Acme:GW" is not valid');
  });

  it('refuse a second store reading the same openAmt.health.secretStores section', () => {
    const copy = {
      ...secretStoreAdapters.vault,
      provider: 'other-vault',
    } as unknown as SecretStoreAdapter<any, any>;
    expect(() => createProviderRegistries({ secretStores: [copy] })).toThrow(
      'adapter "other-vault" reads openAmt.health.secretStores.vault, which "vault" reads already',
    );
  });

  it('refuse an added database without a default port, naming it', () => {
    const db = {
      ...databaseAdapters.postgresql,
      provider: 'acme-db',
    } as DatabaseAdapter<string>;
    expect(() => createProviderRegistries({ databases: [db] })).toThrow(
      'database adapter "acme-db" needs a defaultPort',
    );
    expect(
      createProviderRegistries({ databases: [{ ...db, defaultPort: 7777 }] })
        .databases['acme-db'],
    ).toMatchObject({
      defaultPort: 7777,
    });
  });

  it('find a store by the scheme of its references, and name the known ones otherwise', () => {
    expect(
      secretStoreAdapterForRef('aws-kms:eu-west-1/p/n', secretStoreAdapters),
    ).toBe(secretStoreAdapters['aws-kms']);
    expect(() =>
      secretStoreAdapterForRef('acme:x/y', secretStoreAdapters),
    ).toThrow('unknown store (expected vault:, azure-key-vault: or aws-kms:)');
  });

  it('read their portal identity sections through the adapters', () => {
    const section = new ConfigReader({
      address: 'https://vault.internal:8200',
      appRole: { roleId: 'r', secretId: 's' },
    });
    expect(
      secretStoreAdapters.vault.portalIdentity!.readConfig(section),
    ).toEqual({
      address: 'https://vault.internal:8200',
      token: undefined,
      appRole: { roleId: 'r', secretId: 's', mountPath: 'approle' },
    });
  });
});
