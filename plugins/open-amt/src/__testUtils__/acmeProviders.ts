import {
  builtInProviderRegistry,
  ProviderRegistryAnswer,
  ProviderSummary,
} from '@open-amt-backstage/plugin-open-amt-common';

/** A database an adopter's module added, as GET /providers carries it (cf. packages/backend's acmeProviders.ts). */
export const ACME_DB: ProviderSummary = {
  id: 'acme-db',
  kind: 'database',
  label: 'Acme DB',
  supportLevel: 'custom',
  implication: 'Needs MPS/RPS images built with an Acme IDB provider.',
  notVerified: 'only tried against the Acme sandbox.',
  docsUrl: 'https://db.acme.example.com/docs',
  consoleUrl: 'https://console.acme.example.com',
};

/** The built-ins plus the Acme database, as a backend with the adopter's module answers. */
export function registryWithAcme(): ProviderRegistryAnswer {
  const builtIn = builtInProviderRegistry();
  return { ...builtIn, database: [...builtIn.database, ACME_DB] };
}

/** A backend that does not know `id` (e.g. the module that added it is gone): its answer lacks that row. */
export function registryWithout(id: string): ProviderRegistryAnswer {
  const builtIn = builtInProviderRegistry();
  return {
    database: builtIn.database.filter(p => p.id !== id),
    secrets: builtIn.secrets.filter(p => p.id !== id),
    gateway: builtIn.gateway.filter(p => p.id !== id),
  };
}
