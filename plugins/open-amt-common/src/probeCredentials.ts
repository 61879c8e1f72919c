/**
 * The probe credentials entry (open-amt.io/credentials-ref) is bound to one deployment and to the endpoints it was
 * provisioned for. open-amt:secrets:provision writes these keys next to the login; the health engine uses the login
 * only for that entity, that database endpoint and at least that TLS mode. Annotations are written by anyone who
 * can register a catalog location, so they can point a probe anywhere; the store entry cannot be forged by them.
 */
export const PROBE_BINDING_KEYS = {
  /** `system:<namespace>/<name>` of the deployment the entry belongs to. */
  entityRef: 'boundEntityRef',
  /** `host:port` of the database the login was created on (lower-case host). */
  databaseEndpoint: 'boundDatabaseEndpoint',
  /** The TLS mode provisioned; the engine never probes with less. */
  databaseTlsMode: 'boundDatabaseTlsMode',
  /** The open-amt.io/secrets-endpoint value a deployment-specific store token (`vaultToken`) is for. */
  secretsEndpoint: 'boundSecretsEndpoint',
} as const;

export type ProbeBindingKey =
  (typeof PROBE_BINDING_KEYS)[keyof typeof PROBE_BINDING_KEYS];

/** Strength of each TLS mode: a probe may use a stronger mode than provisioned, never a weaker one. */
export const TLS_MODE_STRENGTH = {
  disable: 0,
  require: 1,
  'verify-full': 2,
} as const;

/** Name of a deployment's probe entry in its store (the scaffolder's `<deployment>-<kind>` scheme). */
export function probeEntryName(deploymentName: string): string {
  return `${deploymentName}-probe`;
}

/** The catalog ref of a scaffolded deployment's System (catalog-info.yaml sets no namespace). */
export function deploymentEntityRef(
  deploymentName: string,
  namespace = 'default',
): string {
  return `system:${namespace}/${deploymentName}`.toLocaleLowerCase('en-US');
}

/** `host:port` as bound and compared: lower-case, IPv6 without brackets, no trailing root dot. */
export function endpointKey(host: string, port: number): string {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return `${h}:${port}`;
}

/** A store address as bound and compared: no trailing slashes, lower-case scheme and host. */
export function storeEndpointKey(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    return `${url.protocol}//${url.host}${url.pathname.replace(
      /\/+$/,
      '',
    )}`.toLowerCase();
  } catch {
    return trimmed; // aws:<region>/<key> and other non-URL forms compare as written
  }
}
