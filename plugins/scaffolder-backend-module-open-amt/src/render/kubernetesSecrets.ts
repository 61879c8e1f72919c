/**
 * Kubernetes: the External Secrets Operator syncs the store's entries into Kubernetes Secrets (one per
 * service, holding only what that service reads); Deployments use secretKeyRef. The manifests hold
 * store references, never values. The gateway's credential (Kong/Tyk) comes from an ESO template.
 */
import { databaseCaFile } from '../secrets/databaseTls';
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { SecretEntryKind } from '../secrets/entries';
import { secretEnvVars } from './composeSecrets';
import { ServiceId } from './env';
import { buildKongConfig } from './gateways/kong';
import { buildTykApis } from './gateways/tyk';
import { SECRET_STORE_RENDERERS } from './secrets';
import { toYaml } from './yaml';

/** Served by the External Secrets Operator since v0.16; v1beta1 is no longer served from v0.17. */
/** The Secret holding the database's CA bundle (key `ca.pem`), mounted by MPS, RPS and mps-router. */
export const DATABASE_CA_SECRET = 'database-ca';

export const ESO_API = 'external-secrets.io/v1';
export const SECRET_STORE_NAME = 'open-amt-store';

/** Name of the Kubernetes Secret that carries a service's secret env. */
export const serviceSecretName = (service: ServiceId) => `${service}-secrets`;

/** Key inside the Kubernetes Secret for an env var. */
export const secretKeyFor = (envName: string) => envName.toLowerCase().replace(/_/g, '-');

export function secretStore(spec: DeploymentSpec) {
  return {
    apiVersion: ESO_API,
    kind: 'SecretStore',
    metadata: { name: SECRET_STORE_NAME, namespace: spec.namespace },
    spec: { provider: SECRET_STORE_RENDERERS[spec.secrets.provider].externalSecretsProvider(spec) },
  };
}

/**
 * The database's CA bundle (PEM, key `ca` of the operator's entry spec.database.caCertSecret) as the Secret
 * `database-ca` the three services mount, when they verify with it.
 */
export function databaseCaExternalSecret(spec: DeploymentSpec) {
  if (!databaseCaFile(spec) || !spec.database.caCertSecret) return undefined;
  return {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: DATABASE_CA_SECRET, namespace: spec.namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: SECRET_STORE_NAME, kind: 'SecretStore' },
      target: { name: DATABASE_CA_SECRET, creationPolicy: 'Owner' },
      data: [{ secretKey: 'ca.pem', remoteRef: { key: SECRET_STORE_RENDERERS[spec.secrets.provider].remoteKey(spec, { name: spec.database.caCertSecret }), property: 'ca' } }],
    },
  };
}

function remoteRef(spec: DeploymentSpec, kind: SecretEntryKind, property: string) {
  return { key: SECRET_STORE_RENDERERS[spec.secrets.provider].remoteKey(spec, kind), property };
}

export function serviceExternalSecret(spec: DeploymentSpec, service: ServiceId) {
  return {
    apiVersion: ESO_API,
    kind: 'ExternalSecret',
    metadata: { name: serviceSecretName(service), namespace: spec.namespace },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: SECRET_STORE_NAME, kind: 'SecretStore' },
      target: { name: serviceSecretName(service), creationPolicy: 'Owner' },
      data: secretEnvVars(spec, service).map(v => ({
        secretKey: secretKeyFor(v.name),
        remoteRef: remoteRef(spec, v.secret.kind, v.secret.key),
      })),
    },
  };
}

/** Kong/Tyk credential: the gateway file is an ESO template, rendered with the secret into a Secret. */
export function gatewayConfigExternalSecret(spec: DeploymentSpec) {
  let files: Record<string, string>;
  if (spec.gateway.provider === 'kong') {
    files = { 'kong.yaml': toYaml(buildKongConfig(spec)) };
  } else if (spec.gateway.provider === 'tyk') {
    files = Object.fromEntries(
      buildTykApis(spec).map(api => [
        `${String(api.api_id)}.json`,
        JSON.stringify(api).replace('{{ .jwtSecretBase64 }}', '{{ .jwtSecret | b64enc }}'),
      ]),
    );
  } else {
    return undefined;
  }
  const name = `${spec.gateway.provider}-config`;
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
        template: { engineVersion: 'v2', data: files },
      },
      data: [{ secretKey: 'jwtSecret', remoteRef: remoteRef(spec, 'jwt', 'secret') }],
    },
  };
}
