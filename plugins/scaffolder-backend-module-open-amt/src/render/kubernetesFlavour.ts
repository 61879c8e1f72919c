import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

export type LoadBalancerKind = 'public-tcp' | 'public-http' | 'internal';

/** What a Kubernetes flavour (generic, AKS, EKS) adds to the shared manifests. */
export interface KubernetesFlavour {
  loadBalancerAnnotations(kind: LoadBalancerKind): Record<string, string>;
  /** Ingress class for the websocket ALB/ingress when the gateway cannot carry websockets. */
  ingressClassName: string;
  ingressAnnotations: Record<string, string>;
  /** On the workload ServiceAccount (cloud identity for Key Vault / Secrets Manager). */
  serviceAccountAnnotations(spec: DeploymentSpec): Record<string, string>;
  podLabels(spec: DeploymentSpec): Record<string, string>;
  /** Manual steps specific to this flavour, for the runbook. */
  manualSteps(spec: DeploymentSpec): string[];
}

export const genericFlavour: KubernetesFlavour = {
  loadBalancerAnnotations: () => ({}),
  ingressClassName: 'nginx',
  ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600' },
  serviceAccountAnnotations: () => ({}),
  podLabels: () => ({}),
  manualSteps: () => ['Install the External Secrets Operator and an ingress controller (ingress-nginx) in the cluster.'],
};
