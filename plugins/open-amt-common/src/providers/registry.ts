import { DATABASE_PROVIDERS, DatabaseProviderId } from './databases';
import { GATEWAY_PROVIDERS, GatewayProviderId } from './gateways';
import { SECRETS_PROVIDERS, SecretsProviderId } from './secretStores';
import { ProviderInfo, ProviderKind } from './types';

/** Every replaceable part, by kind: the one list the form, the renderers and the health engine read. */
export const PROVIDER_REGISTRY = {
  database: DATABASE_PROVIDERS,
  secrets: SECRETS_PROVIDERS,
  gateway: GATEWAY_PROVIDERS,
} as const;

export type ProviderId =
  | DatabaseProviderId
  | SecretsProviderId
  | GatewayProviderId;

/** Looks a provider up by kind and id; undefined for an unknown id. */
export function findProvider(
  kind: ProviderKind,
  id: string,
): ProviderInfo | undefined {
  const byId = PROVIDER_REGISTRY[kind] as Record<string, ProviderInfo>;
  return Object.prototype.hasOwnProperty.call(byId, id) ? byId[id] : undefined;
}

export function listProviders(kind: ProviderKind): ProviderInfo[] {
  return Object.values(PROVIDER_REGISTRY[kind]);
}
