import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { DatabaseRenderer } from './render/databases/types';
import type { GatewayRenderer } from './render/gateways/types';
import type { SecretStoreRenderer } from './render/secrets/types';

/**
 * Lets an adopter's scaffolder module add databases, gateways and secrets stores to the Open AMT actions without forking them
 * (the scaffolder-side twin of open-amt-node's openAmtProvidersExtensionPoint). Each is one renderer object carrying
 * its registry entry (`info`, with its spec section) and, for a store, its open-amt-node adapter.
 *
 * @example
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'scaffolder',
 *   moduleId: 'open-amt-acme',
 *   register(env) {
 *     env.registerInit({
 *       deps: { providers: openAmtScaffolderProvidersExtensionPoint },
 *       async init({ providers }) {
 *         providers.addGateway(acmeGatewayRenderer);
 *       },
 *     });
 *   },
 * });
 * ```
 */
export interface OpenAmtScaffolderProvidersExtensionPoint {
  /** Adds gateway renderers; an id the built-ins (or an earlier module) have fails the backend's startup. */
  addGateway(...renderers: GatewayRenderer[]): void;
  /**
   * Adds databases (registry entry with its engine and default port, plus its open-amt-node adapter); an id the
   * built-ins (or an earlier module) have fails the backend's startup.
   */
  addDatabase(...renderers: DatabaseRenderer[]): void;
  /** Adds secrets store renderers; an id the built-ins (or an earlier module) have fails the backend's startup. */
  addSecretStore(...renderers: SecretStoreRenderer[]): void;
}

/** Implemented by the Open AMT scaffolder module (this package). */
export const openAmtScaffolderProvidersExtensionPoint =
  createExtensionPoint<OpenAmtScaffolderProvidersExtensionPoint>({
    id: 'scaffolder.open-amt.providers',
  });
