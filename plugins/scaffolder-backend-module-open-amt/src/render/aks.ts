/** AKS specifics: Azure load balancer annotations, workload identity for Key Vault. */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { KubernetesFlavour } from './kubernetesFlavour';

const NONE: Record<string, string> = {};

const usesKeyVault = (spec: DeploymentSpec) => spec.secrets.provider === 'azure-key-vault';

export const aksFlavour: KubernetesFlavour = {
  loadBalancerAnnotations(kind): Record<string, string> {
    if (kind === 'internal') return { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' };
    return { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol': 'tcp' };
  },
  ingressClassName: 'webapprouting.kubernetes.azure.com',
  ingressAnnotations: {},
  serviceAccountAnnotations: spec =>
    usesKeyVault(spec) ? { 'azure.workload.identity/client-id': `\${${spec.name.toUpperCase().replace(/-/g, '_')}_WORKLOAD_CLIENT_ID}` } : NONE,
  podLabels: spec => (usesKeyVault(spec) ? { 'azure.workload.identity/use': 'true' } : NONE),
  manualSteps: spec => [
    'Enable the AKS OIDC issuer, workload identity and the application routing add-on; install the External Secrets Operator.',
    ...(usesKeyVault(spec)
      ? [
          `Create a user-assigned managed identity with federated credentials for the service accounts open-amt and external-secrets in namespace ${spec.namespace}, and set its client id in kubernetes/serviceaccounts.yaml (\${${spec.name.toUpperCase().replace(/-/g, '_')}_WORKLOAD_CLIENT_ID}, e.g. with envsubst).`,
        ]
      : []),
  ],
};
