import { isWorkload } from '../output';
import type { ConformanceRule } from '../types';

const REQUIRED = { name: 'KONG_UPSTREAM_KEEPALIVE_POOL_SIZE', value: '0' };

/** Kong containers in compose and Kubernetes, with their environment as a map. */
function kongEnvironments(
  out: Parameters<ConformanceRule['check']>[0],
): Array<{ where: string; env: Record<string, string> }> {
  const compose = out.composeServices();
  if (compose) {
    return Object.entries(compose)
      .filter(([, s]) => /(^|\/)kong:/.test(String(s.image)))
      .map(([name, s]) => ({
        where: `docker-compose.yml services.${name}`,
        env: s.environment ?? {},
      }));
  }
  return out
    .kubernetesObjects()
    .filter(o => isWorkload(o))
    .flatMap(o =>
      (o.spec?.template?.spec?.containers ?? [])
        .filter((c: any) => /(^|\/)kong:/.test(String(c.image)))
        .map((c: any) => ({
          where: `Deployment ${o.metadata.name} container ${c.name}`,
          env: Object.fromEntries(
            (c.env ?? []).map((e: any) => [e.name, e.value]),
          ),
        })),
    );
}

export const kongKeepaliveRule: ConformanceRule = {
  id: 'traffic.kong-upstream-keepalive',
  fact:
    'mps-router picks the MPS instance once per TCP connection; Kong pools upstream connections unless ' +
    "KONG_UPSTREAM_KEEPALIVE_POOL_SIZE=0, so pooled connections would carry other devices' calls to the wrong MPS.",
  source:
    'deployment v2.37.0 docker-compose.yml (kong environment); mps-router proxy.go; Kong configuration reference upstream_keepalive_pool_size',
  check(out) {
    return kongEnvironments(out)
      .filter(({ env }) => String(env[REQUIRED.name]) !== REQUIRED.value)
      .map(
        ({ where }) => `${where}: ${REQUIRED.name} is not ${REQUIRED.value}`,
      );
  },
};
