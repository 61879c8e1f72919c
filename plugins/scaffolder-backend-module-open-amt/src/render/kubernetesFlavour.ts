import type {
  DeploymentSpec,
  TargetId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { aksFlavour } from './aks';
import { eksFlavour } from './eks';
import { secretTlsStep } from './ingressTls';

export type LoadBalancerKind = 'public-tcp' | 'public-http' | 'internal';

/** The service accounts that carry a store identity: MPS/RPS writing their runtime secrets, External Secrets reading. */
export type ServiceAccountName = 'open-amt' | 'external-secrets';

/** The service account whose cloud identity may write the store's runtime secrets (MPS, RPS with a platform identity). */
export const STORE_IDENTITY_ACCOUNT: ServiceAccountName = 'open-amt';
/** The service account of every workload that needs no identity: no annotations, bound to nothing, no token. */
export const WORKLOAD_ACCOUNT = 'open-amt-workload';

/** The identity variable an operator fills in for an account (e.g. `${PROD_SERVICES_CLIENT_ID}`). */
export function identityVariable(
  spec: DeploymentSpec,
  account: ServiceAccountName,
  suffix: string,
): string {
  const who = account === 'open-amt' ? 'SERVICES' : 'READER';
  return `\${${spec.name.toUpperCase().replace(/-/g, '_')}_${who}_${suffix}}`;
}

/** What a Kubernetes flavour (generic, AKS, EKS) adds to the shared manifests. */
export interface KubernetesFlavour {
  /** The platform's own identity federation, when the cluster has one (EKS: IRSA, AKS: workload identity). */
  federation?: 'aws' | 'azure';
  loadBalancerAnnotations(kind: LoadBalancerKind): Record<string, string>;
  /** Ingress class for the websocket ALB/ingress when the gateway cannot carry websockets. */
  ingressClassName: string;
  ingressAnnotations: Record<string, string>;
  /** The runbook step that gives the websocket Ingress its certificate for `host` (its `tls` names `secretName`). */
  ingressCertificateStep(
    spec: DeploymentSpec,
    host: string,
    secretName: string,
  ): string;
  /** Manual steps specific to this flavour, for the runbook. */
  manualSteps(spec: DeploymentSpec): string[];
}

export const genericFlavour: KubernetesFlavour = {
  loadBalancerAnnotations: () => ({}),
  ingressClassName: 'nginx',
  ingressAnnotations: {
    'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
  },
  manualSteps: () => [
    'Install the External Secrets Operator and an ingress controller (ingress-nginx) in the cluster.',
  ],
  ingressCertificateStep: secretTlsStep,
};

const FLAVOURS: Record<Exclude<TargetId, 'compose'>, KubernetesFlavour> = {
  kubernetes: genericFlavour,
  aks: aksFlavour,
  eks: eksFlavour,
};

export function flavourFor(spec: DeploymentSpec): KubernetesFlavour {
  return spec.target === 'compose' ? genericFlavour : FLAVOURS[spec.target];
}
