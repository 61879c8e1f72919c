import { storeAuthError } from '../esoAuth';
import type { ConformanceRule } from '../types';

export const storeAuthRule: ConformanceRule = {
  id: 'identity.store-auth',
  fact:
    'The External Secrets Operator authenticates each SecretStore from what the store and the service account it names ' +
    'carry: azurekv workload identity needs the account, a client id and a tenant id (store, secret or account ' +
    'annotation, never two); aws jwt needs the account with its eks.amazonaws.com/role-arn; vault kubernetes auth needs ' +
    'a role and the account. Anything missing leaves every ExternalSecret in error: no Secret, no pod starts.',
  source:
    'external-secrets v1.0.0 providers/v1/azure/keyvault/keyvault.go:989-1111, providers/v1/aws/auth/auth.go:162-172,253-290, ' +
    "providers/v1/vault/auth_kubernetes.go:73-120 (model: conformance/esoAuth.ts, checked with ESO's keyvault_auth_test.go and auth_test.go vectors)",
  check(out) {
    const objects = out.kubernetesObjects();
    // The runbooks install ESO plainly: its controller has no workload identity environment of its own.
    const world = { objects, controllerEnv: {} };
    return objects
      .filter(o => o.kind === 'SecretStore' || o.kind === 'ClusterSecretStore')
      .flatMap(store => {
        const error = storeAuthError(store, world);
        return error
          ? [
              `${store.kind} ${store.metadata.name}: External Secrets cannot authenticate (${error})`,
            ]
          : [];
      });
  },
};
