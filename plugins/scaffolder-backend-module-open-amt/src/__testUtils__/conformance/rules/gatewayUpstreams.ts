import { isPrivateName, resolveGatewayUpstream } from '../graph';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const UPSTREAM = /\b(?:https?|wss?|tcp):\/\/([a-z0-9.-]+):(\d+)/gi;

/** Hosts the deployment itself names (not a cloud API or the public host): services, in-cluster names, internal names. */
function isOwnHost(out: RenderedOutput, host: string): boolean {
  return host !== out.spec.gateway.publicHost && isPrivateName(out, host);
}

export const gatewayUpstreamsRule: ConformanceRule = {
  id: 'reachability.gateway-upstreams',
  fact:
    'Every upstream a gateway configuration names must exist with that port: a compose service or cluster Service that ' +
    'listens there, the VM publishing it, or an internal load balancer carrying that private name. A managed gateway ' +
    'outside the cluster cannot resolve cluster names, and one private name cannot front four load balancers.',
  source:
    'issue 12 item 6 (APIM, API Gateway and ESPv2 pointed at internal.<fqdn>:{3000,8003,8081,8080,80} with only the CIRA Service exposed); Kubernetes Service / DNS docs; ExternalDNS annotation',
  check(out) {
    const violations: string[] = [];
    for (const file of out.files.filter(f => f.path.startsWith('gateway/'))) {
      const seen = new Set<string>();
      for (const [, host, port] of file.content.matchAll(UPSTREAM)) {
        const key = `${host}:${port}`;
        if (seen.has(key) || !isOwnHost(out, host)) continue;
        seen.add(key);
        const target = resolveGatewayUpstream(out, host, Number(port));
        if ('missing' in target)
          violations.push(
            `${file.path}: upstream ${key} is not reachable (${target.missing})`,
          );
      }
    }
    return violations;
  },
};
