import {
  adapterOf,
  AnySecretStoreAdapter,
  PortalStoreCredentials,
  secretStoreAdapters,
  StoreSpec,
} from '@open-amt-backstage/plugin-open-amt-node';
import type { SecretStoreAuth } from '@open-amt-backstage/plugin-open-amt-node';
import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { HealthConfig } from '../../config';

/** The portal's identity for one store, or why it has none there (a sentence naming the config key). */
export type OwnStoreAuth = { auth: SecretStoreAuth } | { refused: string };

/**
 * The portal backend's own identity towards the secret stores configured in openAmt.health.secretStores (never a
 * user's). It is handed out only for those stores: a store address taken from a catalog entity gets it only when
 * it is the configured one, so an annotation cannot send the portal's token or signed requests elsewhere.
 */
export interface OwnIdentity {
  authFor(store: StoreSpec): Promise<OwnStoreAuth>;
}

type StoreAdapters = Readonly<Record<string, AnySecretStoreAdapter>>;

/**
 * Why `store` is not one the portal is configured for, or undefined when it is. The store's adapter decides
 * (its portalIdentity); a store without an adapter or without a portal identity never gets the portal's credential.
 */
export function notConfiguredReason(
  store: SecretsSpec | StoreSpec,
  config: HealthConfig['secretStores'],
  adapters: StoreAdapters = secretStoreAdapters,
): string | undefined {
  const adapter = adapterOf(adapters, store.provider);
  if (!adapter)
    return `the portal has no adapter for the secrets store ${store.provider}`;
  const identity = adapter.portalIdentity;
  if (!identity)
    return `the portal has no identity of its own for ${store.provider} stores`;
  return identity.refusal(store, config[identity.configKey]);
}

export function createOwnIdentity(
  config: HealthConfig['secretStores'],
  now: () => number = Date.now,
  adapters: StoreAdapters = secretStoreAdapters,
): OwnIdentity {
  // One credential source per store kind, made on first use (an AppRole login is cached in it).
  const sources = new Map<string, PortalStoreCredentials<StoreSpec>>();
  const sourceFor = (
    adapter: AnySecretStoreAdapter,
  ): PortalStoreCredentials<StoreSpec> | undefined => {
    const identity = adapter.portalIdentity;
    const section = identity && config[identity.configKey];
    if (!identity || section === undefined) return undefined;
    let source = sources.get(adapter.provider);
    if (!source) {
      source = identity.credentials(section, now);
      sources.set(adapter.provider, source);
    }
    return source;
  };

  return {
    async authFor(store) {
      const refused = notConfiguredReason(store, config, adapters);
      if (refused) return { refused };
      const auth = await sourceFor(
        adapterOf(adapters, store.provider)!,
      )?.authFor(store);
      return auth
        ? { auth }
        : {
            refused: `the portal has no credentials for ${store.provider} in openAmt.health.secretStores`,
          };
    },
  };
}
