import { isWorkload } from './output';
import type { RenderedOutput } from './output';

export type Component = 'mps' | 'rps' | 'mpsrouter' | 'webui';

/**
 * The ports each service listens on, from its environment as the service reads it (defaults where unset):
 * mps: MPS_WEB_PORT 3000, MPS_PORT 4433 (mps config.ts); rps: RPS_WEB_PORT 8081, RPS_WEBSOCKETPORT 8080 (rps
 * config); mps-router: PORT 8003 (mps-router main.go); sample-web-ui: nginx on 80 (its nginx.conf).
 */
const LISTEN: Record<Component, Array<[string | undefined, number]>> = {
  mps: [
    ['MPS_WEB_PORT', 3000],
    ['MPS_PORT', 4433],
  ],
  rps: [
    ['RPS_WEB_PORT', 8081],
    ['RPS_WEBSOCKETPORT', 8080],
  ],
  mpsrouter: [['PORT', 8003]],
  webui: [[undefined, 80]],
};

export function listeningPorts(
  component: Component,
  env: Record<string, string | undefined>,
): number[] {
  return LISTEN[component].map(([name, port]) =>
    name && env[name] ? Number(env[name]) : port,
  );
}

function isComponent(name: string | undefined): name is Component {
  return (
    name === 'mps' || name === 'rps' || name === 'mpsrouter' || name === 'webui'
  );
}

const APP = 'app.kubernetes.io/name';

/** A name only the deployment's own network resolves: a compose or cluster name, or a private name under its FQDN. */
export function isPrivateName(out: RenderedOutput, host: string): boolean {
  return (
    !host.includes('.') ||
    host.endsWith('.svc.cluster.local') ||
    host.endsWith(`.${out.spec.fqdn}`)
  );
}

/** What answers at `host:port` in the rendered deployment: the component and the port it receives on, or why nothing. */
export function resolveUpstream(
  out: RenderedOutput,
  host: string,
  port: number,
): { component: Component; port: number } | { missing: string } {
  const compose = out.composeServices();
  if (compose) {
    const service = compose[host];
    if (!service) return { missing: `no compose service "${host}"` };
    if (!isComponent(host))
      return {
        missing: `compose service "${host}" is not an Open AMT service`,
      };
    const env = service.environment ?? {};
    // Compose service names resolve on the project network; the container receives on the port it listens on.
    return listeningPorts(host, env).includes(port)
      ? { component: host, port }
      : { missing: `${host} does not listen on ${port}` };
  }
  // Kubernetes DNS: <service>[.<namespace>[.svc[.cluster.local]]] → Service → selected Pods (kube-proxy targetPort).
  const [name, namespace] = host.split('.');
  const objects = out.kubernetesObjects();
  const svc = objects.find(
    o =>
      o.kind === 'Service' &&
      o.metadata.name === name &&
      (!namespace || o.metadata.namespace === namespace),
  );
  if (!svc)
    return {
      missing: `no Service ${name}${namespace ? ` in ${namespace}` : ''}`,
    };
  const servicePort = (svc.spec?.ports ?? []).find(
    (p: { port: number }) => p.port === port,
  );
  if (!servicePort)
    return { missing: `Service ${name} exposes no port ${port}` };
  const selector: Record<string, string> = svc.spec?.selector ?? {};
  const deployment = objects.find(
    o =>
      isWorkload(o) &&
      Object.entries(selector).every(
        ([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v,
      ),
  );
  const app = deployment?.spec?.template?.metadata?.labels?.[APP];
  if (!deployment || !isComponent(app))
    return { missing: `Service ${name} selects no Open AMT pods` };
  const containerPorts: Array<{ name?: string; containerPort: number }> =
    deployment.spec.template.spec.containers[0].ports ?? [];
  const target = servicePort.targetPort ?? port;
  const targetNumber =
    typeof target === 'number'
      ? target
      : containerPorts.find(p => p.name === target)?.containerPort;
  if (targetNumber === undefined)
    return {
      missing: `Service ${name} targets port "${target}", which no container names`,
    };
  return listeningPorts(
    app,
    out.containerEnv(deployment.metadata.name),
  ).includes(targetNumber)
    ? { component: app, port: targetNumber }
    : {
        missing: `${app} does not listen on ${targetNumber} (Service ${name}:${port})`,
      };
}

/**
 * What answers at `host:port` for a gateway: compose service or cluster DNS names as above, and the private names a
 * gateway outside the cluster uses: on a VM the service publishing that port (`internal.<fqdn>`), on Kubernetes the
 * internal load balancer Service carrying the name for ExternalDNS (`<service>.internal.<fqdn>`).
 */
export function resolveGatewayUpstream(
  out: RenderedOutput,
  host: string,
  port: number,
): { component: Component; port: number } | { missing: string } {
  if (!host.endsWith(`.${out.spec.fqdn}`))
    return resolveUpstream(out, host, port);
  const compose = out.composeServices();
  if (compose) {
    const publisher = Object.entries(compose).find(([, s]) =>
      (s.ports ?? []).some(
        (p: string) => String(p).split(':')[0] === String(port),
      ),
    );
    if (!publisher)
      return { missing: `nothing on the VM publishes port ${port}` };
    const [name, service] = publisher;
    if (!isComponent(name))
      return { missing: `${name} publishes ${port}, not an Open AMT service` };
    return listeningPorts(name, service.environment ?? {}).includes(port)
      ? { component: name, port }
      : { missing: `${name} publishes ${port} but does not listen on it` };
  }
  const svc = out
    .kubernetesObjects()
    .find(
      o =>
        o.kind === 'Service' &&
        o.spec?.type === 'LoadBalancer' &&
        (o.metadata as any).annotations?.[
          'external-dns.alpha.kubernetes.io/hostname'
        ] === host,
    );
  if (!svc)
    return { missing: `no load balancer Service carries the name ${host}` };
  return resolveUpstream(
    out,
    `${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}`,
    port,
  );
}
