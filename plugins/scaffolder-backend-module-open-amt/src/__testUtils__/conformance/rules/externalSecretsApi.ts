import type { ConformanceRule } from '../types';

/** API versions the current External Secrets Operator serves for its resources. */
const SERVED = new Set(['external-secrets.io/v1']);
const KINDS = new Set([
  'ExternalSecret',
  'SecretStore',
  'ClusterSecretStore',
  'ClusterExternalSecret',
]);

export const externalSecretsApiRule: ConformanceRule = {
  id: 'startup.external-secrets-api',
  fact: 'The External Secrets Operator serves ExternalSecret and (Cluster)SecretStore as external-secrets.io/v1; v1beta1 is no longer served, so kubectl apply fails with "no matches for kind".',
  source:
    'External Secrets Operator v0.17.0 release notes (v1beta1 no longer served); ESO API reference external-secrets.io/v1',
  check(out) {
    return out
      .kubernetesObjects()
      .filter(o => KINDS.has(o.kind) && !SERVED.has(o.apiVersion))
      .map(
        o =>
          `${o.kind} ${o.metadata.name}: apiVersion ${o.apiVersion} is not served by the External Secrets Operator (use external-secrets.io/v1)`,
      );
  },
};
