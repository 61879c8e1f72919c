/**
 * The secret entries a deployment keeps in its store. The render action writes references to them,
 * the provision action writes their values, database init reads the app users back. One list, so the
 * three can never disagree.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

export const SECRET_ENTRY_KINDS = {
  /** MPS JWT signing key; `key` is the issuer (the gateway's credential key), as in the toolkit chart. */
  jwt: ['key', 'secret', 'algorithm'],
  /** MPS web admin login (MPS_WEB_ADMIN_USER / MPS_WEB_ADMIN_PASSWORD). */
  mpsweb: ['user', 'password'],
  /**
   * Least-privileged database users and the connection strings MPS and RPS (node-postgres) read;
   * `routerConnectionString` is mps-router's (lib/pq reads TLS parameters differently); `boundDatabaseEndpoint` is
   * the `host:port` the login was made for (its password is sent to no other server).
   */
  'db-mps': [
    'user',
    'password',
    'connectionString',
    'routerConnectionString',
    'boundDatabaseEndpoint',
  ],
  'db-rps': ['user', 'password', 'connectionString', 'boundDatabaseEndpoint'],
  /**
   * What the portal's health engine logs in with (open-amt.io/credentials-ref), and what it is bound to
   * (PROBE_BINDING_KEYS in common: entity, database endpoint, TLS mode, secrets endpoint).
   */
  probe: [
    'mpsUser',
    'mpsPassword',
    'dbUser',
    'dbPassword',
    'boundEntityRef',
    'boundDatabaseEndpoint',
    'boundDatabaseTlsMode',
    'boundSecretsEndpoint',
  ],
  /** Tokens for MPS/RPS bound to the least-privilege policies; created by an operator (Vault only). */
  'vault-tokens': ['mps', 'rps'],
} as const;

export type SecretEntryKind = keyof typeof SECRET_ENTRY_KINDS;
export type SecretEntryKey<K extends SecretEntryKind> =
  (typeof SECRET_ENTRY_KINDS)[K][number];

/**
 * The gateway's TLS certificate for the public host (PEM `crt` with its chain, and `key`): issued by the operator's
 * CA or ACME, so the operator stores it; Kong serves it (KONG_SSL_CERT / KONG_SSL_CERT_KEY).
 */
export const gatewayTlsEntry = (
  spec: Pick<DeploymentSpec, 'name'>,
): OperatorEntry => ({ name: `${spec.name}-gateway-tls` });

/** An entry the operator keeps in the store under a name of their own (e.g. the database CA bundle, caCertSecret). */
export interface OperatorEntry {
  name: string;
}

/** One of the deployment's entries (by kind) or an operator's entry (by name). */
export type StoreEntry = SecretEntryKind | OperatorEntry;

/** Entry name in the store: `<deployment>-<kind>` (dashes only: Key Vault names allow nothing else), or the operator's name. */
export function secretEntryName(
  spec: Pick<DeploymentSpec, 'name'>,
  entry: StoreEntry,
): string {
  return typeof entry === 'string' ? `${spec.name}-${entry}` : entry.name;
}
