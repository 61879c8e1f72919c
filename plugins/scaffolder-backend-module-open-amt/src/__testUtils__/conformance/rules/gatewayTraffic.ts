import { CIRA_PORT } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf } from '../../../render/providers';
import { GATEWAY_TRAFFIC_MODELS } from '../gateways';
import type { GatewayTrafficModel } from '../gateways/types';
import { resolveGatewayUpstream } from '../graph';
import type { RenderedOutput } from '../output';
import { CLIENT_REQUESTS, ClientRequest } from '../traffic';
import type { ConformanceRule } from '../types';

/** One MPS holds every device; with more, only mps-router knows which instance holds the device's CIRA socket. */
function relayTargets(instances: number): string[] {
  return instances > 1 ? ['mpsrouter'] : ['mps', 'mpsrouter'];
}

/** Why the request does not arrive as the client needs, or nothing when it does. */
function violationsOf(
  out: RenderedOutput,
  model: GatewayTrafficModel,
  request: ClientRequest,
  replicas: number,
): string[] {
  const outcome = model.route(out, request);
  if ('refused' in outcome) return [`${request.id}: ${outcome.refused}`];
  const where = `${request.id} → ${outcome.via}`;
  const target = resolveGatewayUpstream(
    out,
    outcome.upstream.host,
    outcome.upstream.port,
  );
  if ('missing' in target)
    return [
      `${where}: upstream ${outcome.upstream.host}:${outcome.upstream.port} does not exist (${target.missing})`,
    ];
  const violations: string[] = [];
  const expected =
    request.arrivesAt === 'relay'
      ? relayTargets(replicas)
      : [request.arrivesAt];
  if (!expected.includes(target.component)) {
    const why =
      request.arrivesAt === 'relay' && replicas > 1
        ? ` (MPS has ${replicas} replicas: only mps-router finds the one holding the device)`
        : '';
    violations.push(
      `${where}: arrives at ${target.component}, must arrive at ${expected.join(
        ' or ',
      )}${why}`,
    );
  }
  const port =
    request.arrivesAt === 'relay' && target.component === 'mpsrouter'
      ? 8003
      : request.port;
  if (target.port !== port)
    violations.push(
      `${where}: arrives on port ${target.port}, must arrive on ${port}`,
    );
  if (request.path !== undefined && outcome.upstream.path !== request.path) {
    violations.push(
      `${where}: the service receives path ${outcome.upstream.path}, must receive ${request.path}`,
    );
  }
  if (outcome.upstream.query !== (request.url.split('?')[1] ?? ''))
    violations.push(`${where}: the query string is not passed on`);
  if (outcome.jwt !== request.jwtAtGateway) {
    violations.push(
      `${where}: ${
        outcome.jwt ? 'the gateway checks a JWT' : 'the gateway checks no JWT'
      }, but ${
        request.jwtAtGateway
          ? 'upstream checks the token at the gateway (the service checks none)'
          : 'this client sends no Authorization header (the gateway would answer 401)'
      }`,
    );
  }
  return violations;
}

export const gatewayTrafficRule: ConformanceRule = {
  id: 'traffic.gateway',
  fact:
    'Every client request of the toolkit (Web UI login and REST, the ui-toolkit relay WebSocket with its token in ' +
    'Sec-WebSocket-Protocol, rpc-go activation, SPA deep links) reaches the right service, port and path through the ' +
    "generated gateway as that gateway's documented routing handles it, with the JWT checked exactly where upstream " +
    'checks it at the gateway. A flow the registry says the gateway cannot carry must really fail, and its row must say why.',
  source: [
    'shared/reference/open-amt-traffic.md §1–2 (sample-web-ui, ui-toolkit AMTRedirector.ts, rpc-go, deployment kong.yaml v2.37.0)',
    "each gateway model's own source (gateways/*.ts)",
    ...GATEWAY_TRAFFIC_MODELS.flatMap(m => (m.source ? [m.source] : [])),
  ].join('; '),
  check(out) {
    const gateway = gatewayRendererOf(out.spec).info;
    const notCarried = new Set(gateway.doesNotCarry ?? []);
    const violations: string[] = [];
    const replicas = out.replicasOf('mps');
    for (const model of GATEWAY_TRAFFIC_MODELS) {
      const file = model.describe(out);
      if (!file) continue;
      const failingFlows = new Set<string>();
      for (const request of CLIENT_REQUESTS) {
        const found = violationsOf(out, model, request, replicas);
        if (found.length) failingFlows.add(request.flow);
        if (notCarried.has(request.flow)) continue;
        violations.push(...found.map(v => `${file}: ${v}`));
      }
      // D1: devices' raw TLS to <fqdn>:4433, terminated by MPS itself (open-amt-traffic.md §1 D1).
      if (gateway.carriesCiraTcp && model.tcp) {
        const d1 = model.tcp(out, CIRA_PORT);
        const target =
          'refused' in d1
            ? undefined
            : resolveGatewayUpstream(out, d1.upstream.host, d1.upstream.port);
        if ('refused' in d1)
          violations.push(`${file}: D1 CIRA ${CIRA_PORT}: ${d1.refused}`);
        else if (!target || 'missing' in target)
          violations.push(
            `${file}: D1 CIRA ${CIRA_PORT} → ${d1.via}: upstream ${
              d1.upstream.host
            }:${d1.upstream.port} does not exist${
              target && 'missing' in target ? ` (${target.missing})` : ''
            }`,
          );
        else if (target.component !== 'mps' || target.port !== CIRA_PORT)
          violations.push(
            `${file}: D1 CIRA ${CIRA_PORT} → ${d1.via}: arrives at ${target.component}:${target.port}, must arrive at mps:${CIRA_PORT}`,
          );
      }
      for (const flow of notCarried) {
        if (!gateway.limitation)
          violations.push(
            `${file}: ${gateway.label} does not carry ${flow}, but its row states no limitation`,
          );
        if (!failingFlows.has(flow))
          violations.push(
            `${file}: the registry says ${gateway.label} cannot carry ${flow}, but every ${flow} request arrives`,
          );
      }
    }
    return violations;
  },
};
