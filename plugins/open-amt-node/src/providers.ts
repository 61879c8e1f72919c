import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  listProviders,
  ProviderInfo,
  ProviderKind,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from './databases';
import { gatewayAdapters } from './gateways';
import { AnySecretStoreAdapter, secretStoreAdapters } from './secret-stores';
import type { DatabaseAdapter, GatewayAdapter } from './types';

/** Any gateway adapter, built-in or added by an adopter. */
export type AnyGatewayAdapter = GatewayAdapter<string>;

/** Any database adapter, built-in or added by an adopter. */
export type AnyDatabaseAdapter = DatabaseAdapter<string>;

/**
 * Lets an adopter's backend module add providers to the Open AMT health engine without forking it: a secrets store
 * or gateway of their own (e.g. in front of custom MPS/RPS images). Each is one adapter object carrying its registry
 * entry (`info`: label, support level, limitations; the object its scaffolder renderer carries too), which
 * GET /api/open-amt/providers serves to the picker and the health card; deployments whose annotations name its id
 * (open-amt.io/secrets-provider, open-amt.io/gateway-provider) are probed through it.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'open-amt',
 *   moduleId: 'my-gateway',
 *   register(env) {
 *     env.registerInit({
 *       deps: { providers: openAmtProvidersExtensionPoint },
 *       async init({ providers }) {
 *         providers.addGateway(myGatewayAdapter);
 *       },
 *     });
 *   },
 * });
 * ```
 */
export interface OpenAmtProvidersExtensionPoint {
  /** Adds secrets store adapters; an id the built-ins (or an earlier module) have fails the backend's startup. */
  addSecretStore(...adapters: AnySecretStoreAdapter[]): void;
  /** Adds gateway adapters; an id the built-ins (or an earlier module) have fails the backend's startup. */
  addGateway(...adapters: AnyGatewayAdapter[]): void;
  /**
   * Adds database adapters (each with its `defaultPort`); an id the built-ins (or an earlier module) have fails the
   * backend's startup.
   */
  addDatabase(...adapters: AnyDatabaseAdapter[]): void;
}

/** Implemented by the open-amt backend plugin (open-amt-backend). */
export const openAmtProvidersExtensionPoint =
  createExtensionPoint<OpenAmtProvidersExtensionPoint>({
    id: 'open-amt.providers',
  });

/** Provider ids are annotation values and reference schemes (`<id>:…`): lower-case letters, digits and hyphens. */
const PROVIDER_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Built-in provider objects plus added ones, by provider id (`idOf`). Throws, naming the id, when an added object's id
 * is malformed or already taken (by a built-in or another added one). `what` names the objects in the message, e.g.
 * "gateway adapter"; the scaffolder module merges its renderers with it too.
 */
export function mergeProvidersById<A>(
  what: string,
  builtIns: Readonly<Record<string, A>>,
  added: readonly A[],
  idOf: (object: A) => string,
): Record<string, A> {
  const merged: Record<string, A> = { ...builtIns };
  for (const object of added) {
    const id = idOf(object);
    if (typeof id !== 'string' || !PROVIDER_ID.test(id)) {
      throw new Error(
        `Open AMT ${what} id ${JSON.stringify(
          id,
        )} is not valid: use lower-case letters, digits and hyphens`,
      );
    }
    if (Object.prototype.hasOwnProperty.call(merged, id)) {
      const owner = Object.prototype.hasOwnProperty.call(builtIns, id)
        ? 'a built-in'
        : 'another added';
      throw new Error(
        `Open AMT ${what} "${id}" clashes with ${owner} ${what} of that id`,
      );
    }
    merged[id] = object;
  }
  return merged;
}

/** The built-in adapters of one kind plus the added ones, by provider id (see mergeProvidersById). */
export function mergeProviderAdapters<A extends { provider: string }>(
  kind: 'secrets store' | 'gateway' | 'database',
  builtIns: Readonly<Record<string, A>>,
  added: readonly A[],
): Record<string, A> {
  return mergeProvidersById(
    `${kind} adapter`,
    builtIns,
    added,
    adapter => adapter.provider,
  );
}

/**
 * An added database must say which port an endpoint without one means (built-ins have theirs in the registry);
 * throws, naming `what`, unless `port` is a TCP port. The scaffolder module checks its added databases with it too.
 */
export function requireDefaultPort(what: string, port: unknown): void {
  if (
    typeof port !== 'number' ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535
  )
    throw new Error(`Open AMT ${what} needs a defaultPort (1-65535)`);
}

const KIND_NAMES: Record<ProviderKind, string> = {
  database: 'database',
  secrets: 'secrets store',
  gateway: 'gateway',
};

/**
 * An added adapter must carry its registry entry (`info`) for its own id and kind, or the portal could only show its
 * id; throws, naming the adapter and what to set.
 */
export function requireRegistryEntry(
  kind: ProviderKind,
  adapter: { provider: string; info?: ProviderInfo<string> },
): void {
  const what = `Open AMT ${KIND_NAMES[kind]} adapter "${adapter.provider}"`;
  if (!adapter.info)
    throw new Error(
      `${what} has no registry entry: set its info to the provider's entry (the one its scaffolder renderer carries), so the portal shows its label and support level.`,
    );
  if (adapter.info.id !== adapter.provider || adapter.info.kind !== kind)
    throw new Error(
      `${what} carries the registry entry of ${adapter.info.kind} "${adapter.info.id}": give it the entry with id "${adapter.provider}" and kind "${kind}".`,
    );
}

/**
 * Every provider the backend knows, per kind: the common registry's built-ins, then the added adapters' registry
 * entries (checked with requireRegistryEntry). GET /api/open-amt/providers answers with it.
 */
export function providerRegistryEntries(added: {
  secretStores?: readonly AnySecretStoreAdapter[];
  gateways?: readonly AnyGatewayAdapter[];
  databases?: readonly AnyDatabaseAdapter[];
}): Record<ProviderKind, ProviderInfo<string>[]> {
  const entries = <A extends { provider: string; info?: ProviderInfo<string> }>(
    kind: ProviderKind,
    adapters: readonly A[] = [],
  ): ProviderInfo<string>[] => [
    ...listProviders(kind),
    ...adapters.map(adapter => {
      requireRegistryEntry(kind, adapter);
      return adapter.info!;
    }),
  ];
  return {
    database: entries('database', added.databases),
    secrets: entries('secrets', added.secretStores),
    gateway: entries('gateway', added.gateways),
  };
}

/** The registries the health engine probes with: built-ins plus the added adapters, by provider id. */
export interface ProviderRegistries {
  secretStores: Record<string, AnySecretStoreAdapter>;
  gateways: Record<string, AnyGatewayAdapter>;
  databases: Record<string, AnyDatabaseAdapter>;
}

/**
 * The built-in adapters plus the added ones. Throws, naming the id, for a clashing or malformed id, a second store
 * reading the same openAmt.health.secretStores section, an added adapter without its registry entry (`info`), or an
 * added database without a default port.
 */
export function createProviderRegistries(added: {
  secretStores?: readonly AnySecretStoreAdapter[];
  gateways?: readonly AnyGatewayAdapter[];
  databases?: readonly AnyDatabaseAdapter[];
}): ProviderRegistries {
  const secretStores = mergeProviderAdapters<AnySecretStoreAdapter>(
    'secrets store',
    secretStoreAdapters,
    added.secretStores ?? [],
  );
  const configKeys = new Map<string, string>();
  for (const adapter of Object.values(secretStores)) {
    const key = adapter.portalIdentity?.configKey;
    if (!key) continue;
    const taken = configKeys.get(key);
    if (taken) {
      throw new Error(
        `Open AMT secrets store adapter "${adapter.provider}" reads openAmt.health.secretStores.${key}, which "${taken}" reads already`,
      );
    }
    configKeys.set(key, adapter.provider);
  }
  for (const adapter of added.databases ?? [])
    requireDefaultPort(
      `database adapter "${adapter.provider}"`,
      adapter.defaultPort,
    );
  const registries = {
    secretStores,
    gateways: mergeProviderAdapters<AnyGatewayAdapter>(
      'gateway',
      gatewayAdapters,
      added.gateways ?? [],
    ),
    databases: mergeProviderAdapters<AnyDatabaseAdapter>(
      'database',
      databaseAdapters,
      added.databases ?? [],
    ),
  };
  // After the id checks: an id clash is the first thing to fix.
  providerRegistryEntries(added);
  return registries;
}
