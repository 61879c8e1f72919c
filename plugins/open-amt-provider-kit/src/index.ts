/**
 * The provider kit: secrets and database providers for upstream MPS and RPS, built into one ESM bundle per
 * provider per service (scripts/bundle.ts, buildBundles) that the services' factories import from
 * dist/<kind>/<name>/index.js.
 */
export * from './bundles';
export type { SecretEntryStore, StoredEntry } from './secrets/store';
export type { HostLogger, SecretsHost } from './host/secrets';
export { MpsSecretManager } from './secrets/mpsSecretManager';
export { RpsSecretManager } from './secrets/rpsSecretManager';
export {
  createMpsKeyVaultSecretManager,
  createRpsKeyVaultSecretManager,
  KeyVaultEntryStore,
  KeyVaultStoreError,
  keyVaultLocationFromHost,
} from './secrets/azureKeyVault';
export type { KeyVaultEntryStoreOptions } from './secrets/azureKeyVault';
export { createMpsMariadb, createRpsMariadb } from './data/mariadb/factories';
export { createMpsMssql, createRpsMssql } from './data/mssql/factories';
export { RPS_DATA_HOST_MODULES } from './host/rpsData';
export type {
  RpsDataHost,
  RpsDataConstants,
  RpsErrorClass,
} from './host/rpsData';
export { MPS_DATA_HOST_MODULES } from './host/mpsData';
export type { MpsDataHost, MpsValidationErrorClass } from './host/mpsData';
export type { DataLogger } from './host/dataLogger';
export {
  createMpsAwsSecretManager,
  createRpsAwsSecretManager,
  awsSecretsManagerStore,
  AwsSecretsManagerStore,
  awsStoreConfig,
} from './secrets/awsSecretsManager';
export {
  restoreSdkEnvironment,
  AWS_SDK_ENV_PREFIXES,
  AZURE_SDK_ENV_PREFIXES,
} from './secrets/sdkEnvironment';
export type {
  AwsSecretsManagerStoreOptions,
  AwsStoreConfig,
} from './secrets/awsSecretsManager';
export { buildBundles, MANIFEST_FILE } from './build';
export type { BuiltBundle, BundleManifest } from './build';
export { kitBundleContent } from './content';
export { KIT_ENTRIES, kitEntry, kitEntryOf } from './entries';
export type { KitEntry, ProviderArg } from './entries';
export { FACTORY_SOURCES, HOST_MODULES, HOST_VALUES } from './hostModules';
export type {
  HostConfig,
  HostModule,
  HostOf,
  HostValue,
  MpsHost,
  RpsHost,
} from './hostModules';
