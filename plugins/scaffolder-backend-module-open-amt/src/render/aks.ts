/** AKS specifics: Azure load balancer annotations; workload identity is the cluster's identity federation. */
import { secretTlsStep } from './ingressTls';
import type { KubernetesFlavour } from './kubernetesFlavour';

export const aksFlavour: KubernetesFlavour = {
  loadBalancerAnnotations(kind): Record<string, string> {
    if (kind === 'internal')
      return {
        'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      };
    return {
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-protocol':
        'tcp',
    };
  },
  ingressClassName: 'webapprouting.kubernetes.azure.com',
  ingressAnnotations: {},
  ingressCertificateStep: secretTlsStep,
  federation: 'azure',
  manualSteps: () => [
    'Enable the AKS OIDC issuer, workload identity and the application routing add-on; install the External Secrets Operator.',
  ],
};
