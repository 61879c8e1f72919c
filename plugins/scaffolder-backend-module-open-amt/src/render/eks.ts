/** EKS specifics: AWS Load Balancer Controller annotations (NLB/ALB), IRSA for Secrets Manager. */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { KubernetesFlavour } from './kubernetesFlavour';

const NONE: Record<string, string> = {};

const usesAws = (spec: DeploymentSpec) => spec.secrets.provider === 'aws-kms';
const roleVar = (spec: DeploymentSpec) => `\${${spec.name.toUpperCase().replace(/-/g, '_')}_IRSA_ROLE_ARN}`;

export const eksFlavour: KubernetesFlavour = {
  loadBalancerAnnotations(kind): Record<string, string> {
    return {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': kind === 'internal' ? 'internal' : 'internet-facing',
    };
  },
  ingressClassName: 'alb',
  ingressAnnotations: {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=3600',
  },
  serviceAccountAnnotations: spec => (usesAws(spec) ? { 'eks.amazonaws.com/role-arn': roleVar(spec) } : NONE),
  podLabels: () => ({}),
  manualSteps: spec => [
    'Install the AWS Load Balancer Controller and the External Secrets Operator in the cluster.',
    ...(usesAws(spec)
      ? [
          `Create an IAM role for service accounts (IRSA) with the WorkloadReadPolicy from secrets-store/aws/secrets-access.cfn.yaml and set its ARN in kubernetes/serviceaccounts.yaml (${roleVar(spec)}, e.g. with envsubst).`,
        ]
      : []),
  ],
};
