/**
 * What the deployment itself answers publicly: on a VM the ports compose publishes (docker-compose `ports`
 * `[ip:]host:container`), on Kubernetes the LoadBalancer Services (port → targetPort of the selected pods) and the
 * Ingress hosts. Behind each: MPS's own CIRA port, or a gateway container listening as its product's model says.
 */
import { GATEWAY_LISTENER_MODELS } from '../gateways/listeners';
import type { GatewayContainer, Listener } from '../gateways/listeners';
import { listeningPorts, resolveUpstream } from '../graph';
import { isWorkload, K8sObject, RenderedOutput } from '../output';
import { composeFileProblem, podFileProblem } from './certificates';
import { runbookStepNames } from './runbookSteps';
import type { ServedEndpoint } from './types';

const APP = 'app.kubernetes.io/name';

/** What one gateway listener serves, or why it serves nothing. */
function fromListener(
  out: RenderedOutput,
  where: string,
  port: number,
  listener: Listener | undefined,
  product: string,
  fileProblem: (file: string) => string | undefined,
): ServedEndpoint {
  if (!listener)
    return {
      where,
      port,
      kind: 'https',
      problem: `${product} listens on no port ${port} there`,
    };
  if (listener.streamsTo) {
    const target = resolveUpstream(
      out,
      listener.streamsTo.host,
      listener.streamsTo.port,
    );
    const mps =
      'component' in target &&
      target.component === 'mps' &&
      listeningPorts('mps', out.containerEnv('mps'))[1] === target.port;
    return {
      where,
      port,
      kind: 'cira',
      problem: mps
        ? undefined
        : `${product} passes TCP ${port} to ${listener.streamsTo.host}:${listener.streamsTo.port}, not MPS's CIRA port`,
    };
  }
  if (listener.http === 'plain' || !listener.http)
    return {
      where,
      port,
      kind: 'https',
      problem: `${product} speaks plain HTTP on ${listener.port} (no TLS configured)`,
    };
  if (!listener.http.tls.length)
    return {
      where,
      port,
      kind: 'https',
      problem: `${product} serves TLS on ${listener.port} with no certificate of ours (a built-in default browsers and rpc-go refuse)`,
    };
  const problems = listener.http.tls
    .map(fileProblem)
    .filter((p): p is string => !!p);
  return {
    where,
    port,
    kind: 'https',
    problem: problems.length ? problems.join('; ') : undefined,
  };
}

const mpsCira = (out: RenderedOutput, port: number) =>
  listeningPorts('mps', out.containerEnv('mps'))[1] === port;

export function composeFront(out: RenderedOutput): ServedEndpoint[] {
  const services = out.composeServices();
  if (!services) return [];
  const served: ServedEndpoint[] = [];
  for (const [name, service] of Object.entries<any>(services)) {
    for (const mapping of service.ports ?? []) {
      const parts = String(mapping)
        .replace(/\/tcp$/, '')
        .split(':');
      if (parts.length < 2) continue;
      const [published, target] = parts.slice(-2).map(Number);
      const where = `docker-compose.yml services.${name} ports ${mapping}`;
      if (name === 'mps') {
        if (mpsCira(out, target))
          served.push({ where, port: published, kind: 'cira' });
        continue;
      }
      const model = GATEWAY_LISTENER_MODELS.find(m =>
        m.runs(String(service.image)),
      );
      if (!model) continue;
      const container: GatewayContainer = {
        image: String(service.image),
        env: service.environment ?? {},
        args: Array.isArray(service.command)
          ? service.command.map(String)
          : String(service.command ?? '')
              .split(/\s+/)
              .filter(Boolean),
      };
      const listener = model
        .listeners(out, container)
        .find(l => l.port === target);
      served.push(
        fromListener(out, where, published, listener, model.product, file =>
          composeFileProblem(out, service, file),
        ),
      );
    }
  }
  return served;
}

function podsOf(objects: K8sObject[], selector: Record<string, string>) {
  return objects.filter(
    o =>
      isWorkload(o) &&
      Object.entries(selector).every(
        ([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v,
      ),
  );
}

/** An internal load balancer (the cloud's internal annotation, or the private name it carries): not public. */
function isInternal(out: RenderedOutput, svc: K8sObject): boolean {
  const annotations = svc.metadata.annotations ?? {};
  return (
    annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] ===
      'true' ||
    annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] ===
      'internal' ||
    String(
      annotations['external-dns.alpha.kubernetes.io/hostname'] ?? '',
    ).endsWith(`.internal.${out.spec.fqdn}`)
  );
}

function serviceFront(out: RenderedOutput, objects: K8sObject[]) {
  const served: ServedEndpoint[] = [];
  for (const svc of objects.filter(
    o => o.kind === 'Service' && o.spec?.type === 'LoadBalancer',
  )) {
    if (isInternal(out, svc)) continue; // an internal load balancer: not public
    for (const p of svc.spec.ports ?? []) {
      const where = `Service ${svc.metadata.name} port ${p.port}`;
      for (const deployment of podsOf(objects, svc.spec.selector ?? {})) {
        const pod = deployment.spec.template.spec;
        for (const c of pod.containers ?? []) {
          const named = (c.ports ?? []).find(
            (cp: any) =>
              cp.name === p.targetPort || cp.containerPort === p.targetPort,
          );
          const target =
            named?.containerPort ??
            (typeof p.targetPort === 'number' ? p.targetPort : p.port);
          const app = deployment.spec.template.metadata?.labels?.[APP];
          if (app === 'mps') {
            if (mpsCira(out, target))
              served.push({ where, port: p.port, kind: 'cira' });
            continue;
          }
          const model = GATEWAY_LISTENER_MODELS.find(m =>
            m.runs(String(c.image)),
          );
          if (!model) continue;
          const env = Object.fromEntries(
            (c.env ?? []).map((e: any) => [e.name, e.value]),
          );
          const listener = model
            .listeners(out, {
              image: String(c.image),
              env,
              args: (c.args ?? []).map(String),
            })
            .find(l => l.port === target);
          served.push(
            fromListener(out, where, p.port, listener, model.product, file =>
              podFileProblem(objects, pod, c, file),
            ),
          );
        }
      }
    }
  }
  return served;
}

/**
 * An Ingress answers its TLS hosts on 443. ingress-nginx and the AKS routing add-on serve the `secretName` Secret;
 * the AWS Load Balancer Controller (class alb) ignores it and takes an ACM certificate (annotation certificate-arn, or
 * one it discovers in ACM for the host: its docs "Certificate Discovery"; not verified here).
 */
function ingressFront(out: RenderedOutput, objects: K8sObject[]) {
  const served: ServedEndpoint[] = [];
  for (const ingress of objects.filter(o => o.kind === 'Ingress')) {
    const where = `Ingress ${ingress.metadata.name}`;
    const alb = ingress.spec?.ingressClassName === 'alb';
    for (const tls of ingress.spec?.tls ?? []) {
      for (const host of tls.hosts ?? []) {
        let problem: string | undefined;
        if (alb) {
          if (
            !ingress.metadata.annotations?.[
              'alb.ingress.kubernetes.io/certificate-arn'
            ] &&
            !runbookStepNames(out, 'ACM', `\`${host}\``)
          )
            problem = `the ALB needs an ACM certificate for ${host}: no certificate-arn annotation, and no runbook step provisions one`;
        } else if (
          !objects.some(
            o =>
              (o.kind === 'Secret' && o.metadata.name === tls.secretName) ||
              (o.kind === 'ExternalSecret' &&
                (o.spec?.target?.name ?? o.metadata.name) === tls.secretName),
          ) &&
          !runbookStepNames(out, `\`${tls.secretName}\``, `\`${host}\``)
        )
          problem = `its TLS Secret ${tls.secretName} for ${host} is created by nothing (no Secret, no ExternalSecret, no runbook step)`;
        served.push({ where, host, port: 443, kind: 'https', problem });
      }
    }
  }
  return served;
}

export function kubernetesFront(out: RenderedOutput): ServedEndpoint[] {
  if (out.composeServices()) return [];
  const objects = out.kubernetesObjects();
  return [...serviceFront(out, objects), ...ingressFront(out, objects)];
}
