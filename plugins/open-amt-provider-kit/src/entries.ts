import type { KitBundle, KitKind, KitService } from './bundles';
import type { HostOf } from './hostModules';
import type { HostLogger } from './host/secrets';
import { createMpsMariadb, createRpsMariadb } from './data/mariadb/factories';
import { createMpsMssql, createRpsMssql } from './data/mssql/factories';
import {
  createMpsKeyVaultSecretManager,
  createRpsKeyVaultSecretManager,
} from './secrets/azureKeyVault';
import {
  createMpsAwsSecretManager,
  createRpsAwsSecretManager,
} from './secrets/awsSecretsManager';

/** What the factory passes to the provider's constructor: the connection string (data) or the logger (secrets). */
export type ProviderArg<K extends KitKind> = K extends 'data'
  ? string
  : HostLogger;

/**
 * One bundle's recipe: the factory that builds its provider (exported by `module`, under the function's own name)
 * and the host bindings it is given (keys of HOST_MODULES[service]). The generated entry imports exactly those host
 * modules, calls `factory(constructorArgument, host)` and returns the result from the default class's constructor.
 */
export interface KitEntry {
  bundle: KitBundle;
  /** The module exporting the factory, relative to src/ and without extension (`./data/mariadb/rps`). */
  module: string;
  factory: (arg: never, host: never) => object;
  host: readonly string[];
}

/** A registry row, typed: the factory must accept what the entry will pass it. */
export function kitEntry<
  S extends KitService,
  K extends KitKind,
  B extends keyof HostOf[S] & string,
>(
  service: S,
  kind: K,
  name: string,
  module: string,
  factory: (arg: ProviderArg<K>, host: NoInfer<Pick<HostOf[S], B>>) => object,
  host: readonly B[],
): KitEntry {
  return { bundle: { service, kind, name }, module, factory, host };
}

/** The providers the kit bundles: one row per KIT_BUNDLES row (a test checks none is missing). */
export const KIT_ENTRIES: readonly KitEntry[] = [
  kitEntry(
    'mps',
    'data',
    'mariadb',
    './data/mariadb/factories',
    createMpsMariadb,
    ['MPSValidationError', 'constants', 'logger'],
  ),
  kitEntry(
    'rps',
    'data',
    'mariadb',
    './data/mariadb/factories',
    createRpsMariadb,
    ['RPSError', 'constants', 'logger', 'config'],
  ),
  kitEntry('mps', 'data', 'mssql', './data/mssql/factories', createMpsMssql, [
    'MPSValidationError',
    'constants',
    'logger',
  ]),
  kitEntry('rps', 'data', 'mssql', './data/mssql/factories', createRpsMssql, [
    'RPSError',
    'constants',
    'logger',
    'config',
  ]),
  kitEntry(
    'mps',
    'secrets',
    'azure-key-vault',
    './secrets/azureKeyVault',
    createMpsKeyVaultSecretManager,
    ['config'],
  ),
  kitEntry(
    'rps',
    'secrets',
    'azure-key-vault',
    './secrets/azureKeyVault',
    createRpsKeyVaultSecretManager,
    ['config'],
  ),
  kitEntry(
    'mps',
    'secrets',
    'aws-secrets-manager',
    './secrets/awsSecretsManager',
    createMpsAwsSecretManager,
    ['config'],
  ),
  kitEntry(
    'rps',
    'secrets',
    'aws-secrets-manager',
    './secrets/awsSecretsManager',
    createRpsAwsSecretManager,
    ['config'],
  ),
];

export const sameBundle = (a: KitBundle, b: KitBundle) =>
  a.service === b.service && a.kind === b.kind && a.name === b.name;

/** The row of a bundle, or undefined while its provider has not landed. */
export const kitEntryOf = (
  bundle: KitBundle,
  entries: readonly KitEntry[] = KIT_ENTRIES,
) => entries.find(e => sameBundle(e.bundle, bundle));
