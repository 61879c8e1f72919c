import { InputError } from '@backstage/errors';
import type { SecretsProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAdapter, StoreSpec } from '../types';
import { awsKmsAdapter } from './awsKms';
import { azureKeyVaultAdapter } from './azureKeyVault';
import { secretRefScheme } from './refs';
import { vaultAdapter } from './vault';

/** One adapter per secrets provider in the registry (open-amt-common SECRETS_PROVIDERS). */
export const secretStoreAdapters: Record<
  SecretsProviderId,
  SecretStoreAdapter
> = {
  vault: vaultAdapter,
  'azure-key-vault': azureKeyVaultAdapter,
  'aws-kms': awsKmsAdapter,
};

/** Any store adapter, built-in or added by an adopter (its spec and config are its own). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySecretStoreAdapter = SecretStoreAdapter<StoreSpec, any>;

/** The adapter a map of adapters holds for `provider` (an annotation value: any string), or undefined. */
export function adapterOf<A>(
  adapters: Readonly<Record<string, A>>,
  provider: string | undefined,
): A | undefined {
  return provider !== undefined &&
    Object.prototype.hasOwnProperty.call(adapters, provider)
    ? adapters[provider]
    : undefined;
}

/**
 * The store adapter that wrote a reference (its scheme is the provider id, e.g. `vault:` in `vault:kv/…`).
 * Throws InputError for a scheme no adapter in `adapters` has.
 */
export function secretStoreAdapterForRef<A extends AnySecretStoreAdapter>(
  ref: string,
  adapters: Readonly<Record<string, A>>,
): A {
  const adapter = adapterOf(adapters, secretRefScheme(ref));
  if (adapter) return adapter;
  const schemes = Object.keys(adapters).map(id => `${id}:`);
  const expected =
    schemes.length > 1
      ? `${schemes.slice(0, -1).join(', ')} or ${schemes[schemes.length - 1]}`
      : schemes.join('');
  throw new InputError(
    `Invalid secret reference "${ref}": unknown store (expected ${expected})`,
  );
}

export { vaultAdapter, azureKeyVaultAdapter, awsKmsAdapter };
export type { VaultIdentityConfig } from './vault';
export type { AzureIdentityConfig } from './azureKeyVault';
export type { AwsIdentityConfig } from './awsKms';
export {
  parseSecretRef,
  secretSpecFromRef,
  locateVaultRef,
  locateAzureKeyVaultRef,
  locateAwsKmsRef,
  parseVaultRef,
  parseAzureKeyVaultRef,
  parseAwsKmsRef,
  secretRefScheme,
  azureSecretName,
  awsSecretName,
  vaultSecretPath,
} from './refs';
export type { ParsedSecretRef } from './refs';
export { CANARY_SECRET_NAME } from './shared';
