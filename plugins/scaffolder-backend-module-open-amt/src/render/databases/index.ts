import {
  DATABASE_PROVIDER_IDS,
  DATABASE_PROVIDERS,
  DatabaseProviderId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from '@open-amt-backstage/plugin-open-amt-node';
import type { DatabaseRenderer } from './types';

export type { DatabaseRenderer } from './types';

/** The built-in databases: each one's registry entry and adapter, nothing database-specific to render beyond them. */
export function builtInDatabaseRenderers(): Record<
  DatabaseProviderId,
  DatabaseRenderer
> {
  return Object.fromEntries(
    DATABASE_PROVIDER_IDS.map(id => [
      id,
      { info: DATABASE_PROVIDERS[id], adapter: databaseAdapters[id] },
    ]),
  ) as Record<DatabaseProviderId, DatabaseRenderer>;
}
