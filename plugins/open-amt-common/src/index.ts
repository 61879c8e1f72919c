/**
 * Shared by every Open AMT package: provider registry, deployment spec, annotations, health model,
 * REST shapes and permissions. Runs in Node and in the browser.
 *
 * @packageDocumentation
 */
export * from './providers';
export * from './spec';
export * from './annotations';
export * from './gatewayRoutes';
export * from './health';
export * from './api';
export * from './permissions';
export * from './deploymentTarget';
export * from './releases';
export * from './drift';
export * from './devices';
export * from './probeCredentials';
