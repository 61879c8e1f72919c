/** AKS specifics: Azure load balancer annotations, workload identity for Key Vault. */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { identityVariable, KubernetesFlavour } from './kubernetesFlavour';

const NONE: Record<string, string> = {};

const usesKeyVault = (spec: DeploymentSpec) => spec.secrets.provider === 'azure-key-vault';

export const aksFlavour: KubernetesFlavour = {
  loadBalancerAnnotations(kind): Record<string, string> {
    if (kind === 'internal') return { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' };
    return { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol': 'tcp' };
  },
  ingressClassName: 'webapprouting.kubernetes.azure.com',
  ingressAnnotations: {},
  serviceAccountAnnotations: (spec, account) =>
    usesKeyVault(spec) ? { 'azure.workload.identity/client-id': identityVariable(spec, account, 'CLIENT_ID') } : NONE,
  podLabels: spec => (usesKeyVault(spec) ? { 'azure.workload.identity/use': 'true' } : NONE),
  manualSteps: spec => [
    'Enable the AKS OIDC issuer, workload identity and the application routing add-on; install the External Secrets Operator.',
    ...(usesKeyVault(spec)
      ? [
          `Create two user-assigned managed identities with federated credentials in namespace ${spec.namespace}: one for the service account open-amt (MPS and RPS write their runtime secrets: the Bicep's servicesPrincipalId) and one for external-secrets (reads only: readerPrincipalId); set their client ids in kubernetes/serviceaccounts.yaml (${identityVariable(spec, 'open-amt', 'CLIENT_ID')}, ${identityVariable(spec, 'external-secrets', 'CLIENT_ID')}, e.g. with envsubst).`,
        ]
      : []),
  ],
};
