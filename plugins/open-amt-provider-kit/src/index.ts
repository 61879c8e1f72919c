/**
 * The provider kit: secrets and database providers for upstream MPS and RPS, built into one ESM bundle per
 * provider per service (scripts/bundle.ts, buildBundles) that the services' factories import from
 * dist/<kind>/<name>/index.js.
 */
export * from './bundles';
export type { SecretEntryStore, StoredEntry } from './secrets/store';
export { buildBundles, MANIFEST_FILE } from './build';
export type { BuiltBundle, BundleManifest } from './build';
export { kitBundleContent } from './content';
export { KIT_ENTRIES, kitEntry, kitEntryOf } from './entries';
export type { KitEntry, ProviderArg } from './entries';
export { FACTORY_SOURCES, HOST_MODULES, HOST_VALUES } from './hostModules';
export type {
  HostConfig,
  HostLogger,
  HostModule,
  HostOf,
  HostValue,
  MpsHost,
  RpsHost,
} from './hostModules';
