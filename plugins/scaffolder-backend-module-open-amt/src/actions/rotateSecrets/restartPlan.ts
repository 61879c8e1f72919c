/**
 * What must restart after a rotation, in which order, per deployment target. MPS, RPS and mps-router read their
 * configuration, secrets included, once at start (mps src/index.ts:35-38@v2.34.1 reads the environment into its
 * config before anything else; rps src/utils/Environment.ts:14-18@v2.39.4 likewise), so a new store version reaches a
 * service only when it is recreated; the gateways that run beside the services fill their JWT credential at start too.
 */
import type { DeploymentTarget } from '@open-amt-backstage/plugin-open-amt-common';
import type { GatewayRenderer } from '../../render/gateways/types';
import type { ServiceId } from '../../render/env';
import type { RotatableKind } from './rotationPlan';

/**
 * Which services read which entry (render/env.ts: MPS_WEB_ADMIN_*, MPS_JWT_SECRET, MPS_CONNECTION_STRING for mps and
 * mps-router, RPS_CONNECTION_STRING); restartPlan.test.ts keeps it equal to serviceEnv over every combination.
 * The probe entry is the portal's: its health engine reads it at each probe, nothing restarts.
 */
export const ENTRY_READERS: Record<RotatableKind, readonly ServiceId[]> = {
  jwt: ['mps'],
  mpsweb: ['mps'],
  'db-mps': ['mps', 'mpsrouter'],
  'db-rps': ['rps'],
  probe: [],
};

/** Restart order: the services whose database password changed first (their new connections fail until then). */
const SERVICE_ORDER: readonly ServiceId[] = [
  'mps',
  'mpsrouter',
  'rps',
  'webui',
];

export interface RestartStep {
  /** A compose service / Kubernetes Deployment, or a manual step for a gateway the portal cannot restart. */
  workload: string;
  why: string;
  command?: string;
}

export interface RestartPlan {
  target: string;
  /** Run first: makes the new store versions reach what the workloads read. */
  refresh: string[];
  steps: RestartStep[];
}

export function restartPlan(
  deployment: DeploymentTarget,
  rotated: readonly RotatableKind[],
  gateway: GatewayRenderer | undefined,
  namespace: string,
): RestartPlan {
  const target = deployment.target ?? 'compose';
  const compose = target === 'compose';
  const reasons = new Map<string, string[]>();
  for (const kind of rotated)
    for (const service of ENTRY_READERS[kind])
      reasons.set(service, [...(reasons.get(service) ?? []), kind]);
  const steps: RestartStep[] = SERVICE_ORDER.filter(s => reasons.has(s)).map(
    service => ({
      workload: service,
      why: `reads ${reasons.get(service)!.join(', ')} at start`,
      command: compose
        ? `docker compose up -d --force-recreate --no-deps ${service}`
        : `kubectl -n ${namespace} rollout restart deployment/${service} && kubectl -n ${namespace} rollout status deployment/${service}`,
    }),
  );
  // MPS first, then the gateway: tokens MPS signs with the new secret are refused only until the gateway follows.
  if (rotated.includes('jwt'))
    steps.push(gatewayStep(gateway, compose, namespace));
  const secrets = [...new Set(steps.map(s => s.workload))]
    .filter(w => (SERVICE_ORDER as string[]).includes(w))
    .map(w => `${w}-secrets`);
  if (rotated.includes('jwt') && gateway?.jwtConfig)
    secrets.push(`${gateway.info.id}-config`);
  let refresh: string[] = [];
  if (steps.length && compose)
    refresh = [
      'sudo -i scripts/resolve-secrets.sh   # rewrites secrets/*.env and the gateway configuration from the newest versions',
    ];
  else if (steps.length)
    refresh = secrets.map(
      s =>
        `kubectl -n ${namespace} annotate externalsecret ${s} force-sync=$(date +%s) --overwrite   # External Secrets reads the newest version now, not at the next refreshInterval`,
    );
  return { target, refresh, steps };
}

function gatewayStep(
  gateway: GatewayRenderer | undefined,
  compose: boolean,
  namespace: string,
): RestartStep {
  const reload = gateway?.jwtReload;
  if (!gateway || !reload)
    return {
      workload: gateway?.info.id ?? 'gateway',
      why: 'verifies tokens with the JWT secret; how it picks up a new one is not known to the portal (not checkable): see its runbook step',
    };
  if ('manual' in reload)
    return {
      workload: gateway.info.id,
      why: `verifies tokens with the JWT secret: ${reload.manual}`,
    };
  return {
    workload: reload.workload,
    why: 'verifies tokens with the JWT secret, filled into its configuration at start',
    command: compose
      ? `docker compose up -d --force-recreate --no-deps ${reload.workload}`
      : `kubectl -n ${namespace} rollout restart deployment/${reload.workload} && kubectl -n ${namespace} rollout status deployment/${reload.workload}`,
  };
}

/** The plan as markdown for the template's output text. */
export function restartPlanMarkdown(plan: RestartPlan): string {
  if (!plan.steps.length)
    return 'Nothing restarts: the rotated entries are read by the portal only (at its next health probe).';
  const lines = [
    `**Target: ${plan.target}.** Run these right after the rotation, in this order:`,
    '',
    ...plan.refresh.map((c, i) => `${i + 1}. \`${c}\``),
  ];
  let n = plan.refresh.length;
  for (const step of plan.steps)
    lines.push(
      `${++n}. **${step.workload}** (${step.why})${
        step.command ? `: \`${step.command}\`` : ''
      }`,
    );
  return lines.join('\n');
}
