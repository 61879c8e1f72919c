import { isWorkload } from '../output';
import type { RenderedOutput } from '../output';
import { healthEndpoint, TYK_SOURCE, tykConfig } from '../tykGateway';
import type { ConformanceRule } from '../types';

interface TykContainer {
  where: string;
  env: Record<string, string | undefined>;
  /** Container paths mounted from volumes (directories). */
  mounts: string[];
  secretFromStore: boolean;
  readinessScheme?: string;
  readinessPort?: number | string;
  readinessPath?: string;
  /** Ports reachable from outside the pod (Service ports / published ports), with the Service's type. */
  exposed: number[];
  /** Ports carried by ClusterIP Services only (reachable in the cluster), and whether a NetworkPolicy fences each. */
  clusterOnly: Array<{ port: number; fenced: boolean }>;
}

/** True when a NetworkPolicy selecting these pods admits `port` only from listed peers. */
function fenced(
  objects: any[],
  labels: Record<string, string>,
  port: number,
): boolean {
  const policies = objects.filter(
    o =>
      o.kind === 'NetworkPolicy' &&
      Object.entries(o.spec?.podSelector?.matchLabels ?? {}).every(
        ([k, v]) => labels[k] === v,
      ) &&
      (o.spec?.policyTypes ?? ['Ingress']).includes('Ingress'),
  );
  if (!policies.length) return false;
  return !policies.some(p =>
    (p.spec?.ingress ?? []).some(
      (rule: any) =>
        (!rule.ports ||
          rule.ports.some(
            (x: any) => x.port === port || x.port === 'control',
          )) &&
        !(rule.from ?? []).length,
    ),
  );
}

function tykContainers(out: RenderedOutput): TykContainer[] {
  const compose = out.composeServices();
  if (compose) {
    const script = out.file('scripts/resolve-secrets.sh') ?? '';
    return Object.entries(compose)
      .filter(([, s]) => /tyk-gateway:/.test(String(s.image)))
      .map(([name, s]) => ({
        where: `docker-compose.yml services.${name}`,
        env: s.environment ?? {},
        // Short syntax as written, or the long form `docker-compose config` prints (absolute sources).
        mounts: (s.volumes ?? []).map((v: any) =>
          typeof v === 'object' ? String(v.target) : String(v).split(':')[1],
        ),
        // env_file as written: `docker-compose config` merges the files' contents (placeholders before the script runs).
        secretFromStore:
          script.includes('TYK_GW_SECRET=') &&
          (
            out.yaml('docker-compose.yml')[0]?.services?.[name]?.env_file ??
            s.env_file ??
            []
          ).some((f: string) =>
            [...script.matchAll(/> (secrets\/\S+)/g)].some(
              ([, written]) =>
                f === written || String(f).endsWith(`/${written}`),
            ),
          ),
        exposed: (s.ports ?? []).map((p: any) =>
          typeof p === 'object'
            ? Number(p.target)
            : Number(String(p).split(':').pop()),
        ),
        clusterOnly: [],
      }));
  }
  const objects = out.kubernetesObjects();
  return objects
    .filter(o => isWorkload(o))
    .flatMap(d =>
      (d.spec.template.spec.containers ?? [])
        .filter((c: any) => /tyk-gateway:/.test(String(c.image)))
        .map((c: any) => {
          const labels = d.spec.template.metadata.labels ?? {};
          const services = objects.filter(
            o =>
              o.kind === 'Service' &&
              Object.entries(o.spec?.selector ?? {}).every(
                ([k, v]) => labels[k] === v,
              ),
          );
          return {
            where: `Deployment ${d.metadata.name}`,
            env: Object.fromEntries(
              (c.env ?? []).map((e: any) => [
                e.name,
                e.value ?? (e.valueFrom ? '<from secret>' : undefined),
              ]),
            ),
            mounts: (c.volumeMounts ?? []).map((m: any) => m.mountPath),
            secretFromStore: (c.env ?? []).some(
              (e: any) =>
                e.name === 'TYK_GW_SECRET' && e.valueFrom?.secretKeyRef,
            ),
            readinessScheme: c.readinessProbe?.httpGet
              ? c.readinessProbe.httpGet.scheme ?? 'HTTP'
              : undefined,
            readinessPort: c.readinessProbe?.httpGet?.port,
            readinessPath: c.readinessProbe?.httpGet?.path,
            exposed: services
              .filter(svc =>
                ['LoadBalancer', 'NodePort'].includes(svc.spec?.type),
              )
              .flatMap(svc =>
                (svc.spec.ports ?? []).map((p: any) => targetOf(c, p)),
              ),
            clusterOnly: services
              .filter(
                svc => !['LoadBalancer', 'NodePort'].includes(svc.spec?.type),
              )
              .flatMap(svc =>
                (svc.spec.ports ?? []).map((p: any) => targetOf(c, p)),
              )
              .map((port: number) => ({
                port,
                fenced: fenced(objects, labels, port),
              })),
          };
        }),
    );
}

/** A Service port's container port (a number, or a container port's name). */
function targetOf(container: any, p: any): number {
  const t = p.targetPort ?? p.port;
  if (typeof t === 'number') return t;
  return (
    (container.ports ?? []).find((x: any) => x.name === t)?.containerPort ??
    p.port
  );
}

const within = (mounts: string[], file: string) =>
  mounts.some(m => file === m || file.startsWith(`${m.replace(/\/$/, '')}/`));

export const tykStartupRule: ConformanceRule = {
  id: 'startup.tyk',
  fact:
    'Tyk serves HTTPS only with http_server_options.use_ssl and a certificate it can read; /hello (the readiness ' +
    'endpoint) is served by the control router only, on control_api_port once set, in the listen protocol; the control ' +
    "API keeps the image's default secret unless secret is set, and its port must not be reachable from outside " +
    "(a cluster-internal Service only behind a NetworkPolicy); the portal's probe must read /hello there.",
  source:
    `${TYK_SOURCE}: gateway/server.go:659-677 (loadControlAPIEndpoints: /hello), :2003-2010 and api_loader.go:984-995 ` +
    '(control router on control_api_port), proxy_muxer.go:150-184 (its protocol), config/config.go:47 (hello); ' +
    'tyk.conf.example (secret); Kubernetes probes (scheme) and Network Policies',
  check(out) {
    const violations: string[] = [];
    for (const t of tykContainers(out)) {
      const config = tykConfig(t.env);
      const ssl = config.useSsl;
      const health = healthEndpoint(config);
      if (t.readinessScheme && t.readinessScheme !== health.scheme) {
        violations.push(
          `${t.where}: readiness probe speaks ${
            t.readinessScheme
          } but Tyk serves ${ssl ? 'HTTPS' : 'plain HTTP'}`,
        );
      }
      if (
        t.readinessPath !== undefined &&
        (t.readinessPath !== health.path ||
          Number(t.readinessPort) !== health.port)
      )
        violations.push(
          `${t.where}: readiness probe GET ${t.readinessPath} on ${t.readinessPort}, but Tyk answers ${health.path} only on ${health.port} (control_api_port): the pod never becomes ready`,
        );
      const certificate = t.env.TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES;
      if (ssl && !(certificate && within(t.mounts, certificate)))
        violations.push(
          `${t.where}: use_ssl without a certificate file mounted in the container`,
        );
      const controlPort = config.controlApiPort || config.listenPort;
      if (!config.controlApiPort || t.exposed.includes(controlPort))
        violations.push(
          `${t.where}: the control API answers on an exposed port (${controlPort})`,
        );
      if (t.clusterOnly.some(p => p.port === controlPort && !p.fenced))
        violations.push(
          `${t.where}: a Service carries the control port ${controlPort} and no NetworkPolicy limits who reaches it`,
        );
      if (!t.secretFromStore)
        violations.push(
          `${t.where}: TYK_GW_SECRET is not set: the control API keeps the image's default secret`,
        );
      // The portal's probe (catalog-info open-amt.io/gateway-url) GETs <url>/hello (open-amt-node gateways/tyk.ts).
      const probe = String(
        out
          .yaml('catalog-info.yaml')
          .find(d => d?.metadata?.annotations?.['open-amt.io/gateway-url'])
          ?.metadata.annotations['open-amt.io/gateway-url'] ?? '',
      );
      if (probe) {
        const url = new URL(`${probe.replace(/\/+$/, '')}/hello`);
        const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
        if (url.pathname !== health.path || port !== health.port)
          violations.push(
            `catalog-info.yaml: the gateway probe reads ${url.href}, not ${health.path} on the control port ${health.port}: Tyk does not answer it there`,
          );
      }
    }
    return violations;
  },
};
