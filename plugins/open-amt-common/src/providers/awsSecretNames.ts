/**
 * AWS Secrets Manager naming, shared by the portal (open-amt-node's adapter, the renderer) and the provider kit's
 * store that runs inside MPS and RPS. Pure and dependency-free: the kit bundles it into the services' images.
 *
 * Secrets Manager names: 1–512 characters, ASCII letters, digits and `/_+=.@-` (API reference, CreateSecret `Name`).
 */
export const AWS_SECRET_NAME_MAX = 512;
const ALLOWED = /^[A-Za-z0-9/_+=.@-]+$/;

/** Whether Secrets Manager accepts `name` as a secret name. */
export const isAwsSecretName = (name: string) =>
  name.length <= AWS_SECRET_NAME_MAX && ALLOWED.test(name);

/** Secrets Manager name `<prefix>/<name>` of a portal-written entry. */
export function awsSecretName(prefix: string, name: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${name}` : name;
}

/**
 * The secret a service's runtime path (`devices/<guid>`, `MPSCerts`, `profiles/<name>`, …) lives in: the service's
 * `secrets_path` (`<prefix>-<deployment>-`, what the IAM policy grants) followed by the path, as upstream's Vault
 * provider joins them. Paths may hold characters Secrets Manager refuses (RPS accepts AMT profile names with
 * `$!%*#?&` and more), so each byte outside `[A-Za-z0-9/_+.@-]` becomes `=XX` (hex of its UTF-8 byte; `=` itself is
 * escaped, so distinct paths never share a name). Throws when the result is longer than Secrets Manager allows
 * (shortening would make two paths collide).
 */
export function awsRuntimeSecretName(
  secretsPath: string,
  path: string,
): string {
  const escaped = Array.from(new TextEncoder().encode(path))
    .map(byte => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9/_+.@-]/.test(c)
        ? c
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  const name = `${secretsPath}${escaped}`;
  if (!isAwsSecretName(name)) {
    throw new Error(
      `Secrets Manager cannot name the entry for "${path}": "${name.slice(
        0,
        80,
      )}…" is ${
        name.length
      } characters long or uses characters outside A-Za-z0-9/_+=.@- (secrets_path)`,
    );
  }
  return name;
}

/**
 * Configuration the kit's Secrets Manager provider reads beyond what upstream MPS/RPS read: rc keys, set as
 * `<MPS|RPS>_<KEY upper-cased>` in the environment (the services lower-case the environment and rc strips the prefix).
 */
export const AWS_KIT_CONFIG_KEYS = {
  /** Region of the store (SigV4 scope), when the endpoint does not name it. */
  region: 'aws_region',
  /** The deployment's customer-managed KMS key new secrets are encrypted with (CreateSecret KmsKeyId). */
  kmsKeyId: 'aws_kms_key_id',
} as const;
