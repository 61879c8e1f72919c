import { resolveUpstream } from '../graph';
import { routeKong } from '../kongRouter';
import type { RenderedOutput } from '../output';
import { CLIENT_REQUESTS } from '../traffic';
import type { ConformanceRule } from '../types';

const KONG_FILE = 'gateway/kong/kong.yaml';

/** MPS instances: the Deployment's replicas on Kubernetes; compose runs one. */
function mpsReplicas(out: RenderedOutput): number {
  const mps = out.kubernetesObjects().find(o => o.kind === 'Deployment' && o.metadata.name === 'mps');
  return mps?.spec?.replicas ?? 1;
}

/** One MPS holds every device; with more, only mps-router knows which instance holds the device's CIRA socket. */
function relayTargets(instances: number): string[] {
  return instances > 1 ? ['mpsrouter'] : ['mps', 'mpsrouter'];
}

export const kongTrafficRule: ConformanceRule = {
  id: 'traffic.kong',
  fact:
    'Every client request of the toolkit (Web UI REST and login, the ui-toolkit relay WebSocket with its token in ' +
    'Sec-WebSocket-Protocol, rpc-go activation, SPA deep links) reaches the right service, port and path through ' +
    "Kong's router, with the JWT plugin exactly where upstream checks the token at the gateway.",
  source:
    'Kong developer docs "Traditional router" (priority, regex, strip_path); shared/reference/open-amt-traffic.md §1–2 ' +
    '(sample-web-ui, ui-toolkit AMTRedirector.ts, rpc-go, deployment kong.yaml v2.37.0)',
  check(out) {
    const config = out.yaml(KONG_FILE)[0];
    if (!config) return [];
    const violations: string[] = [];
    const replicas = mpsReplicas(out);
    for (const request of CLIENT_REQUESTS) {
      const decision = routeKong(config, request);
      if (!decision) {
        violations.push(`${KONG_FILE}: ${request.id} matches no route (Kong answers 404)`);
        continue;
      }
      const where = `${KONG_FILE}: ${request.id} → route ${decision.route}`;
      const target = resolveUpstream(out, decision.upstream.host, decision.upstream.port);
      if ('missing' in target) {
        violations.push(`${where}: upstream ${decision.upstream.host}:${decision.upstream.port} does not exist (${target.missing})`);
        continue;
      }
      const expected = request.arrivesAt === 'relay' ? relayTargets(replicas) : [request.arrivesAt];
      if (!expected.includes(target.component)) {
        const why = request.arrivesAt === 'relay' && replicas > 1 ? ` (MPS has ${replicas} replicas: only mps-router finds the one holding the device)` : '';
        violations.push(`${where}: arrives at ${target.component}, must arrive at ${expected.join(' or ')}${why}`);
      }
      const port = request.arrivesAt === 'relay' && target.component === 'mpsrouter' ? 8003 : request.port;
      if (target.port !== port) violations.push(`${where}: arrives on port ${target.port}, must arrive on ${port}`);
      if (request.path !== undefined && decision.upstream.path !== request.path) {
        violations.push(`${where}: the service receives path ${decision.upstream.path}, must receive ${request.path}`);
      }
      const query = request.url.split('?')[1] ?? '';
      if (decision.upstream.query !== query) violations.push(`${where}: the query string is not passed on`);
      const jwt = decision.plugins.includes('jwt');
      if (jwt !== request.jwtAtGateway) {
        violations.push(
          `${where}: ${jwt ? 'the JWT plugin runs' : 'no JWT plugin runs'}, but ${
            request.jwtAtGateway ? 'upstream checks the token at the gateway (the service checks none)' : 'this client sends no Authorization header (Kong would answer 401)'
          }`,
        );
      }
    }
    return violations;
  },
};
