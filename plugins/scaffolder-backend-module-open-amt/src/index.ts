/**
 * Scaffolder actions that render, provision and initialise a production Open AMT deployment.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenAmt as default } from './module';
export * from './actions';
export { renderDeployment } from './render';
export type { RenderedFile, Renderer } from './render';
export {
  openAmtScaffolderProvidersExtensionPoint,
  type OpenAmtScaffolderProvidersExtensionPoint,
} from './extensionPoint';
export {
  createRenderProviders,
  builtInRenderProviders,
  type RenderProviders,
} from './render/providers';
export type { GatewayRenderer, ComposeService } from './render/gateways/types';
export type { SecretStoreRenderer } from './render/secrets/types';
export type { DatabaseRenderer } from './render/databases/types';
export type { StoreAuthResolver } from './secrets/storeAuth';
export {
  secretEntryName,
  type StoreEntry,
  type SecretEntryKind,
} from './secrets/entries';
export type { EnvVar } from './render/env';
export { gatewayUpstreamHost, upstreamUrl } from './render/gateways/upstreams';
