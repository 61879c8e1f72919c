import { InputError } from '@backstage/errors';
import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';

type Spec<P extends SecretsSpec['provider']> = Extract<SecretsSpec, { provider: P }>;

/** Secret name rule of Azure Key Vault: 1–127 of [0-9a-zA-Z-]; anything else becomes a hyphen. */
export function azureSecretName(prefix: string, name: string): string {
  const joined = prefix ? `${prefix}-${name}` : name;
  const cleaned = joined.replace(/[^0-9a-zA-Z-]/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  if (!cleaned) throw new InputError(`secret name "${name}" has no characters Azure Key Vault accepts`);
  return cleaned.slice(0, 127);
}

/** Secrets Manager name `<prefix>/<name>`. */
export function awsSecretName(prefix: string, name: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${name}` : name;
}

/** Vault KV v2 logical path `<prefix>/<name>` under the mount. */
export function vaultSecretPath(spec: Pick<Spec<'vault'>, 'pathPrefix'>, name: string): string {
  return spec.pathPrefix ? `${spec.pathPrefix.replace(/\/+$/, '')}/${name}` : name;
}

export const vaultRef = (spec: Spec<'vault'>, name: string) => `vault:${spec.mount}/${vaultSecretPath(spec, name)}`;
export const azureKeyVaultRef = (spec: Spec<'azure-key-vault'>, name: string) =>
  `azure-key-vault:${spec.vaultUrl.replace(/\/+$/, '')}/${azureSecretName(spec.prefix, name)}`;
export const awsKmsRef = (spec: Spec<'aws-kms'>, name: string) => `aws-kms:${spec.region}/${awsSecretName(spec.prefix, name)}`;

/** A store reference turned back into where it points; the name is the last path segment. */
export type ParsedSecretRef =
  | { provider: 'vault'; mount: string; pathPrefix: string; name: string }
  | { provider: 'azure-key-vault'; vaultUrl: string; secretName: string; name: string }
  | { provider: 'aws-kms'; region: string; prefix: string; name: string; secretName: string };

/**
 * Parses `vault:<mount>/<prefix>/<name>`, `azure-key-vault:<vaultUrl>/<secretName>` or
 * `aws-kms:<region>/<prefix>/<name>` (the open-amt.io/credentials-ref annotation, refFor() output).
 * For Key Vault, `name` is the secret name as stored (prefix included: Key Vault names are flat).
 * Throws InputError naming what is wrong.
 */
export function parseSecretRef(ref: string): ParsedSecretRef {
  const colon = ref.indexOf(':');
  const scheme = colon > 0 ? ref.slice(0, colon) : '';
  const rest = colon > 0 ? ref.slice(colon + 1) : '';
  const fail = (why: string): never => {
    throw new InputError(`Invalid secret reference "${ref}": ${why}`);
  };
  if (scheme === 'vault') {
    const parts = rest.split('/').filter(Boolean);
    if (parts.length < 2) fail('expected vault:<mount>/<prefix>/<name>');
    return { provider: 'vault', mount: parts[0], pathPrefix: parts.slice(1, -1).join('/'), name: parts[parts.length - 1] };
  }
  if (scheme === 'azure-key-vault') {
    let url: URL | undefined;
    try {
      url = new URL(rest);
    } catch {
      fail('expected azure-key-vault:https://<vault>.vault.azure.net/<secretName>');
    }
    const segments = url!.pathname.split('/').filter(Boolean);
    if (url!.protocol !== 'https:' || segments.length !== 1) {
      fail('expected azure-key-vault:https://<vault>.vault.azure.net/<secretName>');
    }
    const secretName = segments[0];
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(secretName)) fail('Key Vault secret names use only 0-9, a-z, A-Z and -');
    return { provider: 'azure-key-vault', vaultUrl: url!.origin, secretName, name: secretName };
  }
  if (scheme === 'aws-kms') {
    const parts = rest.split('/').filter(Boolean);
    if (parts.length < 2 || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(parts[0])) fail('expected aws-kms:<region>/<prefix>/<name>');
    const name = parts[parts.length - 1];
    const prefix = parts.slice(1, -1).join('/');
    return { provider: 'aws-kms', region: parts[0], prefix, name, secretName: awsSecretName(prefix, name) };
  }
  return fail('unknown store (expected vault:, azure-key-vault: or aws-kms:)');
}

/**
 * A parsed reference as the (spec, name) pair the adapters take. Vault needs its address and AWS may need an
 * endpoint override; they are not part of the reference (the backend knows them from config or annotations).
 */
export function secretSpecFromRef(
  ref: string,
  extras: { vaultAddress?: string; awsKmsKeyId?: string; awsEndpoint?: string } = {},
): { spec: SecretsSpec; name: string } {
  const parsed = parseSecretRef(ref);
  switch (parsed.provider) {
    case 'vault':
      if (!extras.vaultAddress) throw new InputError(`Secret reference "${ref}" needs the Vault address`);
      return {
        spec: { provider: 'vault', address: extras.vaultAddress, mount: parsed.mount, pathPrefix: parsed.pathPrefix },
        name: parsed.name,
      };
    case 'azure-key-vault':
      return { spec: { provider: 'azure-key-vault', vaultUrl: parsed.vaultUrl, prefix: '' }, name: parsed.secretName };
    default:
      return {
        spec: {
          provider: 'aws-kms',
          region: parsed.region,
          prefix: parsed.prefix,
          kmsKeyId: extras.awsKmsKeyId ?? 'unknown',
          ...(extras.awsEndpoint ? { endpoint: extras.awsEndpoint } : {}),
        },
        name: parsed.name,
      };
  }
}
