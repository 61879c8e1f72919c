import {
  DATABASE_PROVIDERS,
  DatabaseProviderId,
  DatabaseProviderInfo,
} from './databases';
import {
  GATEWAY_PROVIDERS,
  GatewayProviderId,
  GatewayProviderInfo,
} from './gateways';
import {
  SECRETS_PROVIDERS,
  SecretsProviderId,
  SecretsProviderInfo,
} from './secretStores';
import { ProviderInfo, ProviderKind } from './types';

/** The built-in providers of each kind, by id. */
export interface ProviderRegistry {
  readonly database: Readonly<Record<DatabaseProviderId, DatabaseProviderInfo>>;
  readonly secrets: Readonly<Record<SecretsProviderId, SecretsProviderInfo>>;
  readonly gateway: Readonly<Record<GatewayProviderId, GatewayProviderInfo>>;
}

/**
 * Every replaceable part, by kind: the one list the form, the renderers and the health engine read. Typed by its
 * interface, not inferred: an inferred type prints its id unions in the compiler's order, which moves with unrelated
 * code and made the API report differ from one tree to the next.
 */
export const PROVIDER_REGISTRY: ProviderRegistry = {
  database: DATABASE_PROVIDERS,
  secrets: SECRETS_PROVIDERS,
  gateway: GATEWAY_PROVIDERS,
};

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
