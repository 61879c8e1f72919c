import { resolveUpstream, listeningPorts } from '../graph';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const UPSTREAM = /\b(?:https?|wss?|tcp):\/\/([a-z0-9.-]+):(\d+)/gi;

/** Hosts the deployment itself names (not a cloud API or the public host): services, in-cluster names, internal names. */
function isOwnHost(out: RenderedOutput, host: string): boolean {
  if (host === out.spec.gateway.publicHost) return false;
  return !host.includes('.') || host.endsWith('.svc.cluster.local') || host.endsWith(`.${out.spec.fqdn}`);
}

/** Resolves a host:port a gateway names, through compose, cluster DNS, the VM's published ports or an internal LB's name. */
function reach(out: RenderedOutput, host: string, port: number): string | undefined {
  const compose = out.composeServices();
  if (compose && host.endsWith(`.${out.spec.fqdn}`)) {
    // The private name of the VM: something must publish the port and listen on it.
    const publisher = Object.entries(compose).find(([, s]) => (s.ports ?? []).some((p: string) => String(p).split(':')[0] === String(port)));
    if (!publisher) return `nothing on the VM publishes port ${port}`;
    const [name, service] = publisher;
    const listens = ['mps', 'rps', 'mpsrouter', 'webui'].includes(name) ? listeningPorts(name as never, service.environment ?? {}) : [];
    return listens.includes(port) ? undefined : `${name} publishes ${port} but does not listen on it`;
  }
  if (!compose && host.endsWith(`.${out.spec.fqdn}`)) {
    const svc = out
      .kubernetesObjects()
      .find(o => o.kind === 'Service' && o.spec?.type === 'LoadBalancer' && (o.metadata as any).annotations?.['external-dns.alpha.kubernetes.io/hostname'] === host);
    if (!svc) return `no load balancer Service carries the name ${host}`;
    const resolved = resolveUpstream(out, `${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}`, port);
    return 'missing' in resolved ? resolved.missing : undefined;
  }
  const resolved = resolveUpstream(out, host, port);
  return 'missing' in resolved ? resolved.missing : undefined;
}

export const gatewayUpstreamsRule: ConformanceRule = {
  id: 'reachability.gateway-upstreams',
  fact:
    'Every upstream a gateway configuration names must exist with that port: a compose service or cluster Service that ' +
    'listens there, the VM publishing it, or an internal load balancer carrying that private name. A managed gateway ' +
    'outside the cluster cannot resolve cluster names, and one private name cannot front four load balancers.',
  source: 'issue 12 item 6 (APIM, API Gateway and ESPv2 pointed at internal.<fqdn>:{3000,8003,8081,8080,80} with only the CIRA Service exposed); Kubernetes Service / DNS docs; ExternalDNS annotation',
  check(out) {
    const violations: string[] = [];
    for (const file of out.files.filter(f => f.path.startsWith('gateway/'))) {
      const seen = new Set<string>();
      for (const [, host, port] of file.content.matchAll(UPSTREAM)) {
        const key = `${host}:${port}`;
        if (seen.has(key) || !isOwnHost(out, host)) continue;
        seen.add(key);
        const why = reach(out, host, Number(port));
        if (why) violations.push(`${file.path}: upstream ${key} is not reachable (${why})`);
      }
    }
    return violations;
  },
};
