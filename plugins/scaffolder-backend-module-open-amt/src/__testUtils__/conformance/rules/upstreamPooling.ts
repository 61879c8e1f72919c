import { gatewayRendererOf } from '../../../render/providers';
import { GATEWAY_TRAFFIC_MODELS } from '../gateways';
import { UPSTREAM_POOLING_MODELS } from '../gateways/pooling';
import { resolveGatewayUpstream } from '../graph';
import type { RenderedOutput } from '../output';
import { CLIENT_REQUESTS } from '../traffic';
import type { ConformanceRule } from '../types';

/** The first plain (not upgraded) request the gateway forwards to mps-router, in the flows its row says it carries. */
function requestToRouter(out: RenderedOutput): string | undefined {
  const notCarried = new Set(gatewayRendererOf(out.spec).info.doesNotCarry);
  for (const model of GATEWAY_TRAFFIC_MODELS) {
    if (!model.describe(out)) continue;
    for (const request of CLIENT_REQUESTS) {
      if (request.websocket || notCarried.has(request.flow)) continue;
      const outcome = model.route(out, request);
      if ('refused' in outcome) continue;
      const target = resolveGatewayUpstream(
        out,
        outcome.upstream.host,
        outcome.upstream.port,
      );
      if ('component' in target && target.component === 'mpsrouter')
        return request.id;
    }
  }
  return undefined;
}

export const upstreamPoolingRule: ConformanceRule = {
  id: 'traffic.upstream-pooling',
  fact:
    'mps-router picks the MPS instance once per TCP connection, so no gateway may reuse its upstream connections to ' +
    "mps-router: a reused connection carries other devices' calls to the MPS chosen for the first. Where the gateway " +
    'can turn pooling off, the configuration does; where it cannot, MPS runs alone (one instance to choose from).',
  source:
    'mps-router v2.5.13 internal/proxy/proxy.go:115-134; each gateway pooling model (gateways/pooling/*.ts): Kong ' +
    'upstream_keepalive_pool_size, Tyk v5.8.1 proxy_close_connections (reverse_proxy.go:414-419,741), ESPv2 v2.51.0 ' +
    'flags.go/start_proxy.py (no switch), API Management and API Gateway ' +
    '(no documented switch; not verified)',
  check(out) {
    const violations: string[] = [];
    for (const model of UPSTREAM_POOLING_MODELS) {
      const file = model.describe(out);
      if (!file) continue;
      const found = model.pooling(out);
      if (Array.isArray(found)) {
        violations.push(...found);
        continue;
      }
      const replicas = out.replicasOf('mps');
      if (replicas < 2) continue;
      const through = requestToRouter(out);
      if (through)
        violations.push(
          `${file}: ${found.noSwitch}, yet MPS runs ${replicas} instances and requests such as ${through} reach mps-router through it`,
        );
    }
    return violations;
  },
};
