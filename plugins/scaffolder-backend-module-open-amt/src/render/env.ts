/**
 * The environment each service reads, with exactly the names MPS, RPS and mps-router read
 * (`MPS_<key>` / `RPS_<key>` override .mpsrc/.rpsrc; mps-router reads plain env). Every name must be in the
 * spec's release's `configKeys` (a test checks all of them).
 * Secret values are never here: a variable either has a literal value or names a secret entry + key,
 * which compose turns into a `_REF` line and Kubernetes into a secretKeyRef.
 */
import { builtServices } from './kitImages';
import { databaseCaFile } from '../secrets/databaseTls';
import {
  DeploymentSpec,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf, secretStoreRendererOf } from './providers';
import { SecretEntryKind } from '../secrets/entries';

export type EnvVar =
  | { name: string; value: string }
  | { name: string; secret: { kind: SecretEntryKind; key: string } }
  /** Kubernetes downward API; compose uses `composeValue`. */
  | { name: string; fieldPath: string; composeValue: string };

export type ServiceId = 'mps' | 'rps' | 'mpsrouter' | 'webui';
export const SERVICE_IDS: readonly ServiceId[] = [
  'mps',
  'rps',
  'mpsrouter',
  'webui',
];

export const SERVICE_PORTS = {
  mps: { cira: 4433, web: 3000 },
  rps: { web: 8081, websocket: 8080 },
  mpsrouter: { web: 8003 },
  webui: { web: 80 },
} as const;

/**
 * The CA file RPS verifies its PostgreSQL server with, when it reads one: releases whose RPS knows
 * RPS_POSTGRES_SSL_CA (v2.37.0: rps 2.39), verify-full against a private CA (spec.database.caCertSecret), and the
 * release's own RPS image (a custom image may not read the key). Undefined otherwise.
 */
export function rpsDatabaseCaFile(spec: DeploymentSpec): string | undefined {
  const release = releaseOf(spec);
  const readsCaFile = release.configKeys.rps.includes('RPS_POSTGRES_SSL_CA');
  // The kit's image is the release's with providers added: it reads the key too.
  const upstreamImage =
    spec.images.rps === release.components.rps.image ||
    builtServices(spec).includes('rps');
  return readsCaFile && upstreamImage ? databaseCaFile(spec) : undefined;
}

/** RPS_POSTGRES_SSL_*: RPS sets up TLS to its database itself (chain and host name checked against the CA file). */
function rpsDatabaseTlsEnv(spec: DeploymentSpec): EnvVar[] {
  const caFile = rpsDatabaseCaFile(spec);
  if (!caFile) return [];
  return [
    { name: 'RPS_POSTGRES_SSL_CA', value: caFile },
    { name: 'RPS_POSTGRES_SSL_REJECT_UNAUTHORIZED', value: 'true' },
  ];
}

function secretStoreEnv(spec: DeploymentSpec, prefix: 'MPS' | 'RPS'): EnvVar[] {
  const store = secretStoreRendererOf(spec);
  const env: EnvVar[] = [
    {
      name: `${prefix}_SECRETS_PROVIDER`,
      value: store.info.mpsSecretsProvider,
    },
    { name: `${prefix}_VAULT_ADDRESS`, value: store.address(spec) },
    { name: `${prefix}_SECRETS_PATH`, value: store.runtimeSecretsPath(spec) },
  ];
  // Key Vault and AWS use the platform identity (workload identity / IRSA / instance role): no credential to pass
  // (serviceEnv: what the kit's provider needs besides, e.g. the AWS region and KMS key).
  return [...env, ...(store.serviceEnv?.(spec, prefix) ?? [])];
}

export function serviceEnv(spec: DeploymentSpec, service: ServiceId): EnvVar[] {
  const db = databaseRendererOf(spec).info;
  const publicBase = `https://${spec.gateway.publicHost}`;
  switch (service) {
    case 'mps':
      return [
        { name: 'MPS_COMMON_NAME', value: spec.fqdn },
        { name: 'MPS_PORT', value: String(SERVICE_PORTS.mps.cira) },
        { name: 'MPS_WEB_PORT', value: String(SERVICE_PORTS.mps.web) },
        { name: 'MPS_WEB_ADMIN_USER', secret: { kind: 'mpsweb', key: 'user' } },
        {
          name: 'MPS_WEB_ADMIN_PASSWORD',
          secret: { kind: 'mpsweb', key: 'password' },
        },
        { name: 'MPS_JWT_SECRET', secret: { kind: 'jwt', key: 'secret' } },
        { name: 'MPS_JWT_ISSUER', value: spec.jwtIssuer },
        { name: 'MPS_JWT_EXPIRATION', value: '1440' },
        ...secretStoreEnv(spec, 'MPS'),
        { name: 'MPS_DB_PROVIDER', value: db.mpsDbProvider },
        {
          name: 'MPS_CONNECTION_STRING',
          secret: { kind: 'db-mps', key: 'connectionString' },
        },
        // mps-router routes by the instance name MPS records per device: the pod IP in Kubernetes.
        {
          name: 'MPS_INSTANCE_NAME',
          fieldPath: 'status.podIP',
          composeValue: 'mps',
        },
        { name: 'MPS_LOG_LEVEL', value: 'info' },
      ];
    case 'rps':
      return [
        { name: 'RPS_WEB_PORT', value: String(SERVICE_PORTS.rps.web) },
        {
          name: 'RPS_WEBSOCKETPORT',
          value: String(SERVICE_PORTS.rps.websocket),
        },
        {
          name: 'RPS_MPS_SERVER',
          value: `http://mps:${SERVICE_PORTS.mps.web}`,
        },
        { name: 'RPS_DB_PROVIDER', value: db.mpsDbProvider },
        {
          name: 'RPS_CONNECTION_STRING',
          secret: { kind: 'db-rps', key: 'connectionString' },
        },
        ...rpsDatabaseTlsEnv(spec),
        ...secretStoreEnv(spec, 'RPS'),
        { name: 'RPS_LOG_LEVEL', value: 'info' },
      ];
    case 'mpsrouter':
      return [
        // mpsdb like MPS, with TLS parameters as lib/pq reads them (databaseTls.ts); other engines: MPS's string.
        {
          name: 'MPS_CONNECTION_STRING',
          secret: {
            kind: 'db-mps',
            key:
              db.engine === 'postgres'
                ? 'routerConnectionString'
                : 'connectionString',
          },
        },
        { name: 'PORT', value: String(SERVICE_PORTS.mpsrouter.web) },
        { name: 'MPS_HOST', value: 'mps' },
        { name: 'MPS_PORT', value: String(SERVICE_PORTS.mps.web) },
      ];
    case 'webui':
      return [
        { name: 'MPS_SERVER', value: `${publicBase}/mps` },
        { name: 'RPS_SERVER', value: `${publicBase}/rps` },
      ];
    default: {
      const never: never = service;
      throw new Error(`unknown service ${String(never)}`);
    }
  }
}
