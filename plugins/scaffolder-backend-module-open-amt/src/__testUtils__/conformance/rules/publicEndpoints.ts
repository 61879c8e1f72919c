import { CIRA_PORT } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf } from '../../../render/providers';
import { websocketHost } from '../../../render/gateways/upstreams';
import { servedEndpoints, ServedEndpoint, EndpointKind } from '../endpoints';
import { runbookStepNames } from '../endpoints/runbookSteps';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

interface Promise {
  what: string;
  host: string;
  port: number;
  kind: EndpointKind;
}

/** What the deployment promises its clients (runbook, catalog-info, rpc-go's and the devices' settings). */
function promises(out: RenderedOutput): Promise[] {
  const gateway = gatewayRendererOf(out.spec).info;
  const publicHost = out.spec.gateway.publicHost;
  const wsHost = gateway.carriesWebsockets
    ? publicHost
    : websocketHost(out.spec);
  return [
    {
      what: 'HTTPS for the Web UI and REST',
      host: publicHost,
      port: 443,
      kind: 'https',
    },
    {
      what: 'WSS for rpc-go (/activate) and the relay',
      host: wsHost,
      port: 443,
      kind: 'https',
    },
    {
      what: 'raw TLS to MPS for devices (CIRA)',
      host: out.spec.fqdn,
      port: CIRA_PORT,
      kind: 'cira',
    },
  ];
}

/** A cloud load balancer forwarding to the VM serves only what the VM itself serves on that port. */
function throughVm(
  served: ServedEndpoint,
  all: ServedEndpoint[],
): ServedEndpoint {
  if (served.vmPort === undefined || served.problem) return served;
  const vm = all.find(
    s =>
      s.vmPort === undefined &&
      s.host === undefined &&
      s.port === served.vmPort &&
      s.kind === served.kind &&
      !s.problem &&
      s.where.startsWith('docker-compose.yml'),
  );
  return vm
    ? served
    : {
        ...served,
        problem: `it forwards to port ${
          served.vmPort
        } of the VM, where compose publishes no ${
          served.kind === 'cira' ? "MPS's CIRA port" : 'such listener'
        }`,
      };
}

export const publicEndpointsRule: ConformanceRule = {
  id: 'endpoints.served',
  fact:
    'Every public endpoint the deployment promises (HTTPS on 443 for the public host, WSS for /activate and the ' +
    'relay, raw TLS on 4433 for devices) is really served: its name has a DNS step, something listens on that port, with TLS configured where ' +
    'TLS is promised, it is published or targeted, and every certificate it needs is provisioned by a runbook step, ' +
    'a declared input or the secrets wiring.',
  source:
    'ESPv2 v2.51.0 start_proxy.py:48,175-194, listener_generator.go:129-141, transport_socket.go:28; Kong ' +
    'kong.conf.default proxy_listen/ssl_cert/stream_listen; Tyk tyk.conf http_server_options.use_ssl; docker-compose ' +
    'ports; Kubernetes Service/Ingress; AWS CloudFormation DomainName/Listener, AWS Load Balancer Controller ' +
    'certificate discovery, Azure API Management custom domains, Google Cloud passthrough NLB (docs: not verified)',
  check(out) {
    const all = servedEndpoints(out);
    const servers = all.map(s => throughVm(s, all));
    const violations: string[] = [];
    const seen = new Set<string>();
    for (const promise of promises(out)) {
      const key = `${promise.host}:${promise.port}:${promise.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // The name itself: a runbook step has the operator create its DNS record.
      if (!runbookStepNames(out, 'DNS', `\`${promise.host}\``))
        violations.push(
          `${promise.what} at ${promise.host}:${promise.port}: no runbook step creates the DNS record of ${promise.host}`,
        );
      const candidates = servers.filter(
        s =>
          s.port === promise.port &&
          s.kind === promise.kind &&
          (s.host === undefined || s.host === promise.host),
      );
      if (!candidates.length) {
        violations.push(
          `${promise.what} at ${promise.host}:${promise.port}: nothing serves it (no published port, load balancer or custom domain)`,
        );
        continue;
      }
      if (candidates.some(c => !c.problem)) continue;
      for (const c of candidates)
        violations.push(
          `${promise.what} at ${promise.host}:${promise.port}: ${c.where}: ${c.problem}`,
        );
    }
    return violations;
  },
};
