/**
 * Kong: upstream_keepalive_pool_size (Kong configuration reference; env KONG_UPSTREAM_KEEPALIVE_POOL_SIZE) keeps idle
 * upstream connections for reuse; 0 turns the pool off. The toolkit's own deployment sets 0 (deployment v2.37.0
 * docker-compose.yml, kong environment).
 */
import { isWorkload, RenderedOutput } from '../../output';
import type { UpstreamPoolingModel } from './types';

const REQUIRED = { name: 'KONG_UPSTREAM_KEEPALIVE_POOL_SIZE', value: '0' };

/** Kong containers in compose and Kubernetes, with their environment as a map. */
function kongEnvironments(
  out: RenderedOutput,
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

export const kongPooling: UpstreamPoolingModel = {
  product: 'Kong',
  describe: out =>
    kongEnvironments(out).length ? 'the Kong containers' : undefined,
  pooling: out =>
    kongEnvironments(out)
      .filter(({ env }) => String(env[REQUIRED.name]) !== REQUIRED.value)
      .map(
        ({ where }) => `${where}: ${REQUIRED.name} is not ${REQUIRED.value}`,
      ),
};
