/**
 * Open AMT health engine backend plugin: probes every Open AMT deployment in the catalog, keeps its
 * history and serves it under /api/open-amt.
 *
 * @packageDocumentation
 */
export { openAmtPlugin as default } from './plugin';
export type { HealthConfig } from './config';
