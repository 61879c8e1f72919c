import { isWorkload } from '../output';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

interface TykContainer {
  where: string;
  env: Record<string, string | undefined>;
  /** Container paths mounted from volumes (directories). */
  mounts: string[];
  secretFromStore: boolean;
  readinessScheme?: string;
  /** Ports reachable from outside the pod (Service ports / published ports). */
  exposed: number[];
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
        mounts: (s.volumes ?? []).map((v: string) => v.split(':')[1]),
        secretFromStore: (s.env_file ?? []).some(
          (f: string) =>
            script.includes(`TYK_GW_SECRET=`) && script.includes(`> ${f}`),
        ),
        exposed: (s.ports ?? []).map((p: string) =>
          Number(String(p).split(':').pop()),
        ),
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
            exposed: services.flatMap(svc =>
              (svc.spec.ports ?? []).map((p: any) =>
                typeof p.targetPort === 'number' ? p.targetPort : p.port,
              ),
            ),
          };
        }),
    );
}

const within = (mounts: string[], file: string) =>
  mounts.some(m => file === m || file.startsWith(`${m.replace(/\/$/, '')}/`));

export const tykStartupRule: ConformanceRule = {
  id: 'startup.tyk',
  fact:
    "Tyk serves HTTPS only with http_server_options.use_ssl and a certificate it can read; it loads the JWT APIs' " +
    'default policy only from a policy source it can read (file: policies.policy_path); and its control API answers on ' +
    "the listen port with the image's default secret unless control_api_port and secret are set.",
  source:
    'Tyk docs "Tyk Gateway Configuration Options" (http_server_options, policies, control_api_port, secret) and "Environment Variables"; Kubernetes probes (scheme)',
  check(out) {
    const violations: string[] = [];
    const jwt = out.files.some(
      f =>
        f.path.startsWith('gateway/tyk/apps/') &&
        /"enable_jwt": true/.test(f.content),
    );
    for (const t of tykContainers(out)) {
      const ssl = t.env.TYK_GW_HTTPSERVEROPTIONS_USESSL === 'true';
      if (t.readinessScheme && (t.readinessScheme === 'HTTPS') !== ssl) {
        violations.push(
          `${t.where}: readiness probe speaks ${
            t.readinessScheme
          } but Tyk serves ${ssl ? 'HTTPS' : 'plain HTTP'}`,
        );
      }
      const certificate = t.env.TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES;
      if (ssl && !(certificate && within(t.mounts, certificate)))
        violations.push(
          `${t.where}: use_ssl without a certificate file mounted in the container`,
        );
      if (jwt) {
        const path = t.env.TYK_GW_POLICIES_POLICYPATH;
        if (
          t.env.TYK_GW_POLICIES_POLICYSOURCE !== 'file' ||
          !path ||
          !within(t.mounts, path)
        ) {
          violations.push(
            `${t.where}: the JWT APIs' default policy is never loaded (no readable policies.policy_path): every JWT request is refused`,
          );
        }
      }
      const controlPort = Number(
        t.env.TYK_GW_CONTROLAPIPORT ?? t.env.TYK_GW_LISTENPORT ?? 8080,
      );
      if (!t.env.TYK_GW_CONTROLAPIPORT || t.exposed.includes(controlPort))
        violations.push(
          `${t.where}: the control API answers on an exposed port (${controlPort})`,
        );
      if (!t.secretFromStore)
        violations.push(
          `${t.where}: TYK_GW_SECRET is not set: the control API keeps the image's default secret`,
        );
    }
    return violations;
  },
};
