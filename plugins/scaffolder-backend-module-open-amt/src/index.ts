/**
 * Scaffolder actions that render, provision and initialise a production Open AMT deployment.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenAmt as default } from './module';
export * from './actions';
export {
  renderDeployment,
  GATEWAY_RENDERERS,
  SECRET_STORE_RENDERERS,
} from './render';
export type { RenderedFile, Renderer } from './render';
export type { StoreAuthResolver } from './secrets/storeAuth';
