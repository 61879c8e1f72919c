/**
 * The provider kit: secrets and database providers for upstream MPS and RPS, built into one ESM bundle per
 * provider per service (scripts/bundle.ts) that the services' factories import from dist/<kind>/<name>/index.js.
 */
export * from './bundles';
export type { SecretEntryStore, StoredEntry } from './secrets/store';
export { kitBundleContent } from './bundleContent';
