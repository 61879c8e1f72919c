import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

export type LoadBalancerKind = 'public-tcp' | 'public-http' | 'internal';

/** What a Kubernetes flavour (generic, AKS, EKS) adds to the shared manifests. */
/** The service accounts the rendered deployment runs with. */
export type ServiceAccountName = 'open-amt' | 'external-secrets';

/** The identity variable an operator fills in for an account (e.g. `${PROD_SERVICES_CLIENT_ID}`). */
export function identityVariable(spec: DeploymentSpec, account: ServiceAccountName, suffix: string): string {
  const who = account === 'open-amt' ? 'SERVICES' : 'READER';
  return `\${${spec.name.toUpperCase().replace(/-/g, '_')}_${who}_${suffix}}`;
}

export interface KubernetesFlavour {
  loadBalancerAnnotations(kind: LoadBalancerKind): Record<string, string>;
  /** Ingress class for the websocket ALB/ingress when the gateway cannot carry websockets. */
  ingressClassName: string;
  ingressAnnotations: Record<string, string>;
  /** On the workload ServiceAccount (cloud identity for Key Vault / Secrets Manager). */
  /**
   * Cloud identity of a service account: `open-amt` (MPS, RPS: they write their runtime secrets) and
   * `external-secrets` (reads the deployment's entries) get separate identities, each with only what it needs.
   */
  serviceAccountAnnotations(spec: DeploymentSpec, account: ServiceAccountName): Record<string, string>;
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
