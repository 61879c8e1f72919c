import { InputError, toError } from '@backstage/errors';
import {
  awsSecretName,
  azureSecretName as commonAzureSecretName,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';

type Spec<P extends SecretsSpec['provider']> = Extract<
  SecretsSpec,
  { provider: P }
>;

/**
 * Secret name rule of Azure Key Vault: 1–127 of [0-9a-zA-Z-]; anything else becomes a hyphen. The naming lives in
 * open-amt-common (the provider kit's bundles use it too); here a name with nothing usable is the caller's input error.
 */
export function azureSecretName(prefix: string, name: string): string {
  try {
    return commonAzureSecretName(prefix, name);
  } catch (error) {
    throw new InputError(toError(error).message);
  }
}

/** Secrets Manager name `<prefix>/<name>` (common: the provider kit names its entries with the same code). */
export { awsSecretName };

/** Vault KV v2 logical path `<prefix>/<name>` under the mount. */
export function vaultSecretPath(
  spec: Pick<Spec<'vault'>, 'pathPrefix'>,
  name: string,
): string {
  return spec.pathPrefix
    ? `${spec.pathPrefix.replace(/\/+$/, '')}/${name}`
    : name;
}

export const vaultRef = (spec: Spec<'vault'>, name: string) =>
  `vault:${spec.mount}/${vaultSecretPath(spec, name)}`;
export const azureKeyVaultRef = (spec: Spec<'azure-key-vault'>, name: string) =>
  `azure-key-vault:${spec.vaultUrl.replace(/\/+$/, '')}/${azureSecretName(
    spec.prefix,
    name,
  )}`;
export const awsKmsRef = (spec: Spec<'aws-kms'>, name: string) =>
  `aws-kms:${spec.region}/${awsSecretName(spec.prefix, name)}`;

/** A store reference turned back into where it points; the name is the last path segment. */
export type ParsedSecretRef =
  | { provider: 'vault'; mount: string; pathPrefix: string; name: string }
  | {
      provider: 'azure-key-vault';
      vaultUrl: string;
      secretName: string;
      name: string;
    }
  | {
      provider: 'aws-kms';
      region: string;
      prefix: string;
      name: string;
      secretName: string;
    };

const refFailure =
  (ref: string) =>
  (why: string): never => {
    throw new InputError(`Invalid secret reference "${ref}": ${why}`);
  };

/** The part of a reference after `<scheme>:`. */
function refBody(ref: string, scheme: string): string {
  return ref.startsWith(`${scheme}:`)
    ? ref.slice(scheme.length + 1)
    : refFailure(ref)(`expected ${scheme}:`);
}

/** `vault:<mount>/<prefix>/<name>`. */
export function parseVaultRef(
  ref: string,
): Extract<ParsedSecretRef, { provider: 'vault' }> {
  const parts = refBody(ref, 'vault').split('/').filter(Boolean);
  if (parts.length < 2)
    refFailure(ref)('expected vault:<mount>/<prefix>/<name>');
  return {
    provider: 'vault',
    mount: parts[0],
    pathPrefix: parts.slice(1, -1).join('/'),
    name: parts[parts.length - 1],
  };
}

/** `azure-key-vault:<vaultUrl>/<secretName>`; `name` is the secret name as stored (Key Vault names are flat). */
export function parseAzureKeyVaultRef(
  ref: string,
): Extract<ParsedSecretRef, { provider: 'azure-key-vault' }> {
  const fail = refFailure(ref);
  const rest = refBody(ref, 'azure-key-vault');
  let url: URL | undefined;
  try {
    url = new URL(rest);
  } catch {
    fail(
      'expected azure-key-vault:https://<vault>.vault.azure.net/<secretName>',
    );
  }
  const segments = url!.pathname.split('/').filter(Boolean);
  if (url!.protocol !== 'https:' || segments.length !== 1) {
    fail(
      'expected azure-key-vault:https://<vault>.vault.azure.net/<secretName>',
    );
  }
  const secretName = segments[0];
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(secretName))
    fail('Key Vault secret names use only 0-9, a-z, A-Z and -');
  return {
    provider: 'azure-key-vault',
    vaultUrl: url!.origin,
    secretName,
    name: secretName,
  };
}

/** `aws-kms:<region>/<prefix>/<name>`. */
export function parseAwsKmsRef(
  ref: string,
): Extract<ParsedSecretRef, { provider: 'aws-kms' }> {
  const parts = refBody(ref, 'aws-kms').split('/').filter(Boolean);
  if (parts.length < 2 || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(parts[0]))
    refFailure(ref)('expected aws-kms:<region>/<prefix>/<name>');
  const name = parts[parts.length - 1];
  const prefix = parts.slice(1, -1).join('/');
  return {
    provider: 'aws-kms',
    region: parts[0],
    prefix,
    name,
    secretName: awsSecretName(prefix, name),
  };
}

const BUILT_IN_REF_PARSERS: {
  [P in ParsedSecretRef['provider']]: (ref: string) => ParsedSecretRef;
} = {
  vault: parseVaultRef,
  'azure-key-vault': parseAzureKeyVaultRef,
  'aws-kms': parseAwsKmsRef,
};

/** The scheme of a reference (`vault` in `vault:kv/…`): the provider id of the store that wrote it. */
export function secretRefScheme(ref: string): string {
  const colon = ref.indexOf(':');
  return colon > 0 ? ref.slice(0, colon) : '';
}

/**
 * Parses a reference to one of the built-in stores: `vault:<mount>/<prefix>/<name>`,
 * `azure-key-vault:<vaultUrl>/<secretName>` or `aws-kms:<region>/<prefix>/<name>` (the open-amt.io/credentials-ref
 * annotation, refFor() output). For Key Vault, `name` is the secret name as stored (prefix included: Key Vault names
 * are flat). Throws InputError naming what is wrong.
 */
export function parseSecretRef(ref: string): ParsedSecretRef {
  const scheme = secretRefScheme(ref);
  const parse = Object.prototype.hasOwnProperty.call(
    BUILT_IN_REF_PARSERS,
    scheme,
  )
    ? BUILT_IN_REF_PARSERS[scheme as ParsedSecretRef['provider']]
    : undefined;
  return parse
    ? parse(ref)
    : refFailure(ref)(
        'unknown store (expected vault:, azure-key-vault: or aws-kms:)',
      );
}

type Located<P extends SecretsSpec['provider']> = {
  spec: Spec<P>;
  name: string;
};

/** A Vault reference located with the portal's Vault address (not part of the reference). */
export function locateVaultRef(
  ref: string,
  config: { address?: string } | undefined,
): Located<'vault'> {
  const parsed = parseVaultRef(ref);
  if (!config?.address)
    throw new InputError(`Secret reference "${ref}" needs the Vault address`);
  return {
    spec: {
      provider: 'vault',
      address: config.address,
      mount: parsed.mount,
      pathPrefix: parsed.pathPrefix,
    },
    name: parsed.name,
  };
}

/** A Key Vault reference: the name is the secret name as stored, so the spec has no prefix. */
export function locateAzureKeyVaultRef(
  ref: string,
): Located<'azure-key-vault'> {
  const parsed = parseAzureKeyVaultRef(ref);
  return {
    spec: {
      provider: 'azure-key-vault',
      vaultUrl: parsed.vaultUrl,
      prefix: '',
    },
    name: parsed.secretName,
  };
}

/** An AWS reference, at the portal's endpoint override when it has one. The KMS key is not needed to read. */
export function locateAwsKmsRef(
  ref: string,
  config: { endpoint?: string } | undefined,
): Located<'aws-kms'> {
  const parsed = parseAwsKmsRef(ref);
  return {
    spec: {
      provider: 'aws-kms',
      region: parsed.region,
      prefix: parsed.prefix,
      kmsKeyId: 'unknown',
      ...(config?.endpoint ? { endpoint: config.endpoint } : {}),
    },
    name: parsed.name,
  };
}

/**
 * A built-in store's reference as the (spec, name) pair the adapters take. Vault needs its address and AWS may need an
 * endpoint override; they are not part of the reference (the backend knows them from config). Other stores'
 * references go through their adapter's locate().
 */
export function secretSpecFromRef(
  ref: string,
  extras: { vaultAddress?: string; awsEndpoint?: string } = {},
): { spec: SecretsSpec; name: string } {
  const locators: {
    [P in SecretsSpec['provider']]: (ref: string) => {
      spec: SecretsSpec;
      name: string;
    };
  } = {
    vault: r => locateVaultRef(r, { address: extras.vaultAddress }),
    'azure-key-vault': locateAzureKeyVaultRef,
    'aws-kms': r => locateAwsKmsRef(r, { endpoint: extras.awsEndpoint }),
  };
  return locators[parseSecretRef(ref).provider](ref);
}
