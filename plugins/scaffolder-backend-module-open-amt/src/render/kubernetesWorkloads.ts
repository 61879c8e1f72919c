/**
 * The Kubernetes workload shapes every part of a deployment uses (the Open AMT services, an in-cluster gateway): a
 * Deployment hardened for its image's user, a Service (internal, public or cluster-only), a PodDisruptionBudget.
 */
import type {
  DeploymentSpec,
  ReleaseComponent,
} from '@open-amt-backstage/plugin-open-amt-common';
import { secretStoreRendererOf } from './providers';
import { internalServiceHost } from './gateways/upstreams';
import {
  flavourFor,
  LoadBalancerKind,
  STORE_IDENTITY_ACCOUNT,
  WORKLOAD_ACCOUNT,
} from './kubernetesFlavour';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  [k: string]: unknown;
};

export const labelsFor = (spec: DeploymentSpec, app: string) => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/part-of': 'open-amt',
  'app.kubernetes.io/instance': spec.name,
});

/** Nginx's master (the Web UI image sets no USER) starts as root and hands the workers to its own user. */
const ROOT_IMAGE_CAPABILITIES = [
  'CHOWN',
  'SETUID',
  'SETGID',
  'NET_BIND_SERVICE',
];

/**
 * Pod and container security from the user the image runs as (release data): a numeric non-root user is pinned
 * (runAsNonRoot cannot check a named USER); an image that must start as root gets only the capabilities it needs.
 */
function securityFor(user: ReleaseComponent['user'] | undefined) {
  const seccompProfile = { type: 'RuntimeDefault' };
  if (user && user.uid === 0) {
    return {
      pod: { seccompProfile },
      container: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ROOT_IMAGE_CAPABILITIES },
      },
    };
  }
  return {
    pod: {
      runAsNonRoot: true,
      ...(user ? { runAsUser: user.uid, runAsGroup: user.uid } : {}),
      seccompProfile,
    },
    container: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

/**
 * How a workload starts: `ordered` — one pod at a time, each Ready before the next is created (a StatefulSet with
 * OrderedReady), for a service that writes an entry on its first start when it finds none; `storeIdentity` — it reads
 * and writes the secrets store itself with the cluster's identity federation (the `open-amt` service account and the
 * store's pod labels); every other workload runs under `open-amt-workload`, which carries no identity.
 */
export interface WorkloadOptions {
  volumes?: unknown[];
  user?: ReleaseComponent['user'];
  ordered?: boolean;
  storeIdentity?: boolean;
}

export function deployment(
  spec: DeploymentSpec,
  app: string,
  replicas: number,
  container: Record<string, unknown>,
  extra: WorkloadOptions = {},
): K8sObject {
  const security = securityFor(extra.user);
  // OrderedReady: pod n+1 is created only once pod n is Running and Ready (Kubernetes docs, StatefulSet
  // "Deployment and Scaling Guarantees"); MPS answers its readiness probe only after it stored its certificates.
  const ordering = extra.ordered
    ? {
        serviceName: app,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
      }
    : {};
  return {
    apiVersion: 'apps/v1',
    kind: extra.ordered ? 'StatefulSet' : 'Deployment',
    metadata: {
      name: app,
      namespace: spec.namespace,
      labels: labelsFor(spec, app),
    },
    spec: {
      replicas,
      ...ordering,
      selector: { matchLabels: labelsFor(spec, app) },
      template: {
        metadata: {
          labels: {
            ...labelsFor(spec, app),
            ...(extra.storeIdentity
              ? secretStoreRendererOf(spec).podLabels?.(spec)
              : {}),
          },
        },
        spec: {
          serviceAccountName: extra.storeIdentity
            ? STORE_IDENTITY_ACCOUNT
            : WORKLOAD_ACCOUNT,
          automountServiceAccountToken: false,
          securityContext: security.pod,
          containers: [
            {
              name: app,
              imagePullPolicy: 'IfNotPresent',
              securityContext: security.container,
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '512Mi' },
              },
              ...container,
            },
          ],
          ...(extra.volumes ? { volumes: extra.volumes } : {}),
          // The scheduler may otherwise put every replica on one node: spread them, so a node loss leaves one running.
          ...(replicas > 1
            ? {
                topologySpreadConstraints: [
                  {
                    maxSkew: 1,
                    topologyKey: 'kubernetes.io/hostname',
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: { matchLabels: labelsFor(spec, app) },
                  },
                ],
              }
            : {}),
        },
      },
    },
  };
}

/** `ports`: name → port, or name → [port, targetPort]. */
export function service(
  spec: DeploymentSpec,
  app: string,
  ports: Record<string, number | [number, number]>,
  lb?: LoadBalancerKind,
  name = app,
): K8sObject {
  // An internal load balancer carries the private name managed gateways use (ExternalDNS creates the record).
  const dns =
    lb === 'internal'
      ? {
          'external-dns.alpha.kubernetes.io/hostname': internalServiceHost(
            spec,
            app,
          ),
        }
      : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: spec.namespace,
      labels: labelsFor(spec, app),
      ...(lb
        ? {
            annotations: {
              ...flavourFor(spec).loadBalancerAnnotations(lb),
              ...dns,
            },
          }
        : {}),
    },
    spec: {
      type: lb ? 'LoadBalancer' : 'ClusterIP',
      selector: labelsFor(spec, app),
      ports: Object.entries(ports).map(([portName, p]) => {
        const [port, targetPort] = Array.isArray(p) ? p : [p, p];
        return { name: portName, port, targetPort, protocol: 'TCP' };
      }),
    },
  };
}

export function pdb(spec: DeploymentSpec, app: string): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: spec.namespace },
    spec: { minAvailable: 1, selector: { matchLabels: labelsFor(spec, app) } },
  };
}
