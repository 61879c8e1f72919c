/**
 * Kubernetes: the External Secrets Operator syncs the store's entries into Kubernetes Secrets (one per
 * service, holding only what that service reads); Deployments use secretKeyRef. The manifests hold
 * store references, never values. The gateway's credential (Kong/Tyk) comes from an ESO template.
 */
import { ESO_API } from './externalSecretsApi';
import { GATEWAY_TLS_SECRET, servesOwnTls } from './gatewayTls';
import { databaseCaFile } from '../secrets/databaseTls';
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf, secretStoreRendererOf } from './providers';
import { gatewayTlsEntry, SecretEntryKind } from '../secrets/entries';
import { secretEnvVars } from './composeSecrets';
import { ServiceId } from './env';
import { gatewayConfigSecretName } from './gateways/names';

/** The Secret holding the database's CA bundle (key `ca.pem`), mounted by MPS, RPS and mps-router. */
export const DATABASE_CA_SECRET = 'database-ca';

export const SECRET_STORE_NAME = 'open-amt-store';

/** Name of the Kubernetes Secret that carries a service's secret env. */
export const serviceSecretName = (service: ServiceId) => `${service}-secrets`;

/** Key inside the Kubernetes Secret for an env var. */
export const secretKeyFor = (envName: string) =>
  envName.toLowerCase().replace(/_/g, '-');

export function secretStore(spec: DeploymentSpec) {
  return {
    apiVersion: ESO_API,
    kind: 'SecretStore',
    metadata: { name: SECRET_STORE_NAME, namespace: spec.namespace },
    spec: {
      provider: secretStoreRendererOf(spec).externalSecretsProvider(spec),
    },
  };
}

/**
 * The database's CA bundle (PEM, key `ca` of the operator's entry spec.database.caCertSecret) as the Secret
 * `database-ca` the three services mount, when they verify with it.
 */
export function databaseCaExternalSecret(spec: DeploymentSpec) {
  if (!databaseCaFile(spec) || !spec.database.caCertSecret) return undefined;
  const key = secretStoreRendererOf(spec).remoteKey(spec, {
    name: spec.database.caCertSecret,
  });
  return storeExternalSecret(spec, DATABASE_CA_SECRET, [
    { secretKey: 'ca.pem', remoteRef: { key, property: 'ca' } },
  ]);
}

/** An ExternalSecret reading `data` from the deployment's SecretStore into the Secret `name` (optionally templated). */
function storeExternalSecret(
  spec: DeploymentSpec,
  name: string,
  data: unknown[],
  template?: Record<string, unknown>,
) {
  return {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name, namespace: spec.namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: SECRET_STORE_NAME, kind: 'SecretStore' },
      target: {
        name,
        creationPolicy: 'Owner',
        ...(template ? { template } : {}),
      },
      data,
    },
  };
}

/** Kong's certificate for the public host, from the operator's store entry (gatewayTlsEntry: `crt`, `key`). */
export function gatewayTlsExternalSecret(spec: DeploymentSpec) {
  if (!servesOwnTls(spec)) return undefined;
  const key = secretStoreRendererOf(spec).remoteKey(
    spec,
    gatewayTlsEntry(spec),
  );
  // Kong reads tls.crt and tls.key; Tyk's ssl_certificates takes one PEM with certificate and key (tls.pem).
  return storeExternalSecret(
    spec,
    GATEWAY_TLS_SECRET,
    [
      { secretKey: 'crt', remoteRef: { key, property: 'crt' } },
      { secretKey: 'key', remoteRef: { key, property: 'key' } },
    ],
    {
      engineVersion: 'v2',
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': '{{ .crt }}',
        'tls.key': '{{ .key }}',
        'tls.pem': '{{ .crt }}\n{{ .key }}',
      },
    },
  );
}

function remoteRef(
  spec: DeploymentSpec,
  kind: SecretEntryKind,
  property: string,
) {
  return {
    key: secretStoreRendererOf(spec).remoteKey(spec, kind),
    property,
  };
}

export function serviceExternalSecret(
  spec: DeploymentSpec,
  service: ServiceId,
) {
  return storeExternalSecret(
    spec,
    serviceSecretName(service),
    secretEnvVars(spec, service).map(v => ({
      secretKey: secretKeyFor(v.name),
      remoteRef: remoteRef(spec, v.secret.kind, v.secret.key),
    })),
  );
}

/** A gateway whose configuration embeds the JWT secret: its files are ESO templates, rendered with the secret into a Secret. */
export function gatewayConfigExternalSecret(spec: DeploymentSpec) {
  const jwtConfig = gatewayRendererOf(spec).jwtConfig;
  if (!jwtConfig) return undefined;
  return storeExternalSecret(
    spec,
    gatewayConfigSecretName(spec),
    [{ secretKey: 'jwtSecret', remoteRef: remoteRef(spec, 'jwt', 'secret') }],
    {
      engineVersion: 'v2',
      data: jwtConfig.kubernetesTemplates(spec),
    },
  );
}
