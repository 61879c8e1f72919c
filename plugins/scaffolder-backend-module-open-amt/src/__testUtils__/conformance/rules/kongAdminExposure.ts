import { isWorkload } from '../output';
import type { K8sObject } from '../output';
import type { ConformanceRule } from '../types';

const ADMIN_PORT = 8001;

function selects(policy: K8sObject, labels: Record<string, string>): boolean {
  return Object.entries(policy.spec?.podSelector?.matchLabels ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
}

/** True when some ingress rule of the policies admits the admin port from any peer. */
function openToAll(policies: K8sObject[]): boolean {
  return policies.some(p =>
    (p.spec?.ingress ?? []).some((rule: any) => {
      const coversPort =
        !rule.ports ||
        rule.ports.some(
          (port: any) => port.port === ADMIN_PORT || port.port === 'admin',
        );
      return coversPort && !(rule.from ?? []).length;
    }),
  );
}

export const kongAdminExposureRule: ConformanceRule = {
  id: 'exposure.kong-admin',
  fact:
    "Kong's admin API (8001) can read and replace the whole gateway configuration. Listening on a pod address, any " +
    'pod in the cluster can reach it through its Service unless a NetworkPolicy selects the Kong pods and admits the ' +
    'admin port only from chosen peers (pods without a selecting policy accept all traffic).',
  source:
    'Kong docs "Securing the Admin API"; Kubernetes docs "Network Policies" (isolation, ingress rules)',
  check(out) {
    const compose = out.composeServices();
    if (compose) {
      return Object.entries(compose)
        .filter(([, s]) => /(^|\/)kong:/.test(String(s.image)))
        .filter(
          ([, s]) =>
            !String(
              s.environment?.KONG_ADMIN_LISTEN ?? '0.0.0.0:8001',
            ).startsWith('127.0.0.1:'),
        )
        .map(
          ([name]) =>
            `docker-compose.yml services.${name}: the admin API listens beyond loopback`,
        );
    }
    const objects = out.kubernetesObjects();
    const violations: string[] = [];
    for (const d of objects.filter(o => isWorkload(o))) {
      const kong = (d.spec.template.spec.containers ?? []).find((c: any) =>
        /(^|\/)kong:/.test(String(c.image)),
      );
      if (!kong) continue;
      const listen = String(
        (kong.env ?? []).find((e: any) => e.name === 'KONG_ADMIN_LISTEN')
          ?.value ?? '0.0.0.0:8001',
      );
      if (listen.startsWith('127.0.0.1:')) continue;
      const labels = d.spec.template.metadata.labels ?? {};
      const policies = objects.filter(
        o =>
          o.kind === 'NetworkPolicy' &&
          (o.spec?.policyTypes ?? ['Ingress']).includes('Ingress') &&
          selects(o, labels),
      );
      if (!policies.length)
        violations.push(
          `Deployment ${d.metadata.name}: the admin API (${listen}) is open to every pod: no NetworkPolicy selects the Kong pods`,
        );
      else if (openToAll(policies))
        violations.push(
          `Deployment ${d.metadata.name}: a NetworkPolicy admits the admin port ${ADMIN_PORT} from any peer`,
        );
    }
    return violations;
  },
};
