/** EKS specifics: AWS Load Balancer Controller annotations (NLB/ALB); IRSA is the cluster's identity federation. */
import type { KubernetesFlavour } from './kubernetesFlavour';

export const eksFlavour: KubernetesFlavour = {
  loadBalancerAnnotations(kind): Record<string, string> {
    return {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme':
        kind === 'internal' ? 'internal' : 'internet-facing',
    };
  },
  ingressClassName: 'alb',
  ingressAnnotations: {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/load-balancer-attributes':
      'idle_timeout.timeout_seconds=3600',
  },
  // The AWS Load Balancer Controller ignores the Ingress's Secret: it takes an ACM certificate, found by the host.
  ingressCertificateStep: (_spec, host) =>
    `Request (or import) an ACM certificate for \`${host}\` in the cluster's region: the AWS Load Balancer Controller discovers it in ACM by the Ingress's TLS host and serves it on the ALB of \`open-amt-websockets\` (it ignores the Secret the Ingress names); without one the controller cannot create its HTTPS listener.`,
  federation: 'aws',
  manualSteps: () => [
    'Install the AWS Load Balancer Controller and the External Secrets Operator in the cluster.',
  ],
};
