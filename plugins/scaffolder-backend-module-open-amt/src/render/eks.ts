/** EKS specifics: AWS Load Balancer Controller annotations (NLB/ALB), IRSA for Secrets Manager. */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { identityVariable, KubernetesFlavour } from './kubernetesFlavour';

const NONE: Record<string, string> = {};

const usesAws = (spec: DeploymentSpec) => spec.secrets.provider === 'aws-kms';

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
  serviceAccountAnnotations: (spec, account) => (usesAws(spec) ? { 'eks.amazonaws.com/role-arn': identityVariable(spec, account, 'ROLE_ARN') } : NONE),
  podLabels: () => ({}),
  manualSteps: spec => [
    'Install the AWS Load Balancer Controller and the External Secrets Operator in the cluster.',
    ...(usesAws(spec)
      ? [
          `Create two IAM roles for service accounts (IRSA): one for open-amt with ServicesWritePolicy (MPS and RPS write their runtime secrets) and one for external-secrets with ReaderPolicy, both from secrets-store/aws/secrets-access.cfn.yaml; set their ARNs in kubernetes/serviceaccounts.yaml (${identityVariable(spec, 'open-amt', 'ROLE_ARN')}, ${identityVariable(spec, 'external-secrets', 'ROLE_ARN')}, e.g. with envsubst).`,
        ]
      : []),
  ],
};
