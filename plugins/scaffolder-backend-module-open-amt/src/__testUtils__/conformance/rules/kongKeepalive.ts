import { kongPooling } from '../gateways/pooling/kong';
import type { ConformanceRule } from '../types';

/** Kong's part of traffic.upstream-pooling (rules/upstreamPooling.ts), on its own for the existing negative test. */
export const kongKeepaliveRule: ConformanceRule = {
  id: 'traffic.kong-upstream-keepalive',
  fact:
    'mps-router picks the MPS instance once per TCP connection; Kong pools upstream connections unless ' +
    "KONG_UPSTREAM_KEEPALIVE_POOL_SIZE=0, so pooled connections would carry other devices' calls to the wrong MPS.",
  source:
    'deployment v2.37.0 docker-compose.yml (kong environment); mps-router proxy.go; Kong configuration reference upstream_keepalive_pool_size',
  check: out => {
    const found = kongPooling.pooling(out);
    return Array.isArray(found) ? found : [];
  },
};
