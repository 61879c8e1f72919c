import { ConfigReader } from '@backstage/config';
import {
  DatabaseProviderInfo,
  GatewayProviderInfo,
  gatewaySpecSection,
  listProviders,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  createProviderRegistries,
  mergeProviderAdapters,
  providerRegistryEntries,
} from './providers';
import { databaseAdapters } from './databases';
import { gatewayAdapters } from './gateways';
import { secretStoreAdapterForRef, secretStoreAdapters } from './secret-stores';
import type {
  DatabaseAdapter,
  GatewayAdapter,
  SecretStoreAdapter,
} from './types';

const gatewayInfo = (id: string): GatewayProviderInfo<string> => ({
  id,
  kind: 'gateway',
  label: `Gateway ${id}`,
  supportLevel: 'custom',
  implication: 'An adopter-run gateway.',
  docsUrl: 'https://gateway.example.com/docs',
  spec: gatewaySpecSection(id, () => ({})),
  carriesWebsockets: true,
  runsBesideServices: false,
  servesPublicTls: false,
  carriesCiraTcp: false,
  extraLoadBalancers: [],
});

const databaseInfo: DatabaseProviderInfo<string> = {
  id: 'acme-db',
  kind: 'database',
  label: 'Acme DB',
  supportLevel: 'custom',
  implication: 'Needs MPS/RPS images with an Acme provider.',
  docsUrl: 'https://db.acme.example.com/docs',
  engine: 'postgres',
  defaultPort: 7777,
  mpsDbProvider: 'acme-db',
};

const gateway = (provider: string): GatewayAdapter<string> => ({
  provider,
  info: gatewayInfo(provider),
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
      info: databaseInfo,
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

  it("refuse an added adapter without its registry entry, or with another provider's, naming it", () => {
    const bare = { ...gateway('acme-gateway'), info: undefined };
    expect(() => createProviderRegistries({ gateways: [bare] })).toThrow(
      'Open AMT gateway adapter "acme-gateway" has no registry entry: set its info',
    );
    expect(() => providerRegistryEntries({ gateways: [bare] })).toThrow(
      'has no registry entry',
    );
    const borrowed = { ...gateway('acme-gateway'), info: gatewayInfo('other') };
    expect(() => createProviderRegistries({ gateways: [borrowed] })).toThrow(
      'carries the registry entry of gateway "other": give it the entry with id "acme-gateway" and kind "gateway"',
    );
    const wrongKind = {
      ...databaseAdapters.postgresql,
      provider: 'acme-db',
      defaultPort: 7777,
      info: { ...databaseInfo, kind: 'secrets' },
    } as unknown as DatabaseAdapter<string>;
    expect(() => createProviderRegistries({ databases: [wrongKind] })).toThrow(
      'kind "database"',
    );
  });

  it("list the built-in entries and then each added adapter's own entry", () => {
    const db = {
      ...databaseAdapters.postgresql,
      provider: 'acme-db',
      defaultPort: 7777,
      info: databaseInfo,
    } as DatabaseAdapter<string>;
    const entries = providerRegistryEntries({
      databases: [db],
      gateways: [gateway('acme-gateway')],
    });
    expect(entries.database).toEqual([
      ...listProviders('database'),
      databaseInfo,
    ]);
    expect(entries.gateway.map(p => p.id)).toEqual([
      ...listProviders('gateway').map(p => p.id),
      'acme-gateway',
    ]);
    expect(entries.secrets).toEqual(listProviders('secrets'));
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
