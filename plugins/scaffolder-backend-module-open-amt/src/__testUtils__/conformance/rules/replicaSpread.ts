import { isWorkload } from '../output';
import type { ConformanceRule } from '../types';

const SPREAD_KEYS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
]);

export const replicaSpreadRule: ConformanceRule = {
  id: 'availability.replica-spread',
  fact:
    'The scheduler places replicas wherever resources fit, possibly all on one node; a PodDisruptionBudget does not ' +
    'spread them. Replicas survive a node loss only with a topology spread constraint or pod anti-affinity over nodes or zones.',
  source:
    'Kubernetes docs "Pod Topology Spread Constraints" and "Assigning Pods to Nodes" (inter-pod anti-affinity)',
  check(out) {
    return out
      .kubernetesObjects()
      .filter(o => isWorkload(o) && (o.spec?.replicas ?? 1) > 1)
      .filter(o => {
        const pod = o.spec.template.spec;
        const spread = (pod.topologySpreadConstraints ?? []).some((c: any) =>
          SPREAD_KEYS.has(c.topologyKey),
        );
        const anti = [
          ...(pod.affinity?.podAntiAffinity
            ?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
          ...(
            pod.affinity?.podAntiAffinity
              ?.preferredDuringSchedulingIgnoredDuringExecution ?? []
          ).map((p: any) => p.podAffinityTerm),
        ].some((t: any) => SPREAD_KEYS.has(t?.topologyKey));
        return !spread && !anti;
      })
      .map(
        o =>
          `Deployment ${o.metadata.name}: ${o.spec.replicas} replicas with nothing spreading them over nodes or zones`,
      );
  },
};
