import { isWorkload } from '../output';
import type { ConformanceRule } from '../types';

/** Health endpoints that answer 503 while a dependency (database, Vault) is down: readiness, never liveness. */
const DEPENDENCY_HEALTH = ['/api/v1/health', '/api/v1/admin/health'];

export const livenessProbesRule: ConformanceRule = {
  id: 'startup.liveness-not-on-dependency-health',
  fact:
    'MPS and RPS health endpoints answer 503 when the database or Vault is down; as a liveness probe the kubelet ' +
    'would restart every pod during a Vault seal or database outage. Upstream uses them for readiness only.',
  source:
    'shared/reference/open-amt-traffic.md §3 (Helm chart v2.37.0 probes; mps/rps health routes); Kubernetes docs "Configure Liveness, Readiness and Startup Probes"',
  check(out) {
    return out
      .kubernetesObjects()
      .filter(o => isWorkload(o))
      .flatMap(o =>
        (o.spec?.template?.spec?.containers ?? [])
          .filter((c: any) =>
            DEPENDENCY_HEALTH.includes(c.livenessProbe?.httpGet?.path),
          )
          .map(
            (c: any) =>
              `Deployment ${o.metadata.name}: livenessProbe on ${c.livenessProbe.httpGet.path} restarts the pod whenever the database or Vault is down`,
          ),
      );
  },
};
