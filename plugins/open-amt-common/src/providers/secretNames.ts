/**
 * Entry names in stores whose names are flat and restricted. Pure, so the portal's adapters (open-amt-node), the
 * renderer and the provider kit's bundles (which must not pull Backstage in) name entries the same way.
 */

/** Key Vault secret names: 1–127 of [0-9a-zA-Z-] (Key Vault "object names" rule). */
export const AZURE_SECRET_NAME_MAX = 127;

/**
 * `<prefix>-<name>` as a Key Vault secret name: any other character becomes a hyphen, runs of hyphens collapse, ends
 * are trimmed, then cut at 127. Throws (plain Error) when nothing Key Vault accepts is left.
 */
export function azureSecretName(prefix: string, name: string): string {
  const joined = prefix ? `${prefix}-${name}` : name;
  const cleaned = joined
    .replace(/[^0-9a-zA-Z-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!cleaned)
    throw new Error(
      `secret name "${name}" has no characters Azure Key Vault accepts`,
    );
  return cleaned.slice(0, AZURE_SECRET_NAME_MAX);
}
