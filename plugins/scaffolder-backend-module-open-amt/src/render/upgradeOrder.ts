/**
 * The order an upgrade restarts a deployment in, shared by the runbook's "Upgrading" section and the upgrade action's
 * plan. MPS and RPS read their configuration (rc keys, environment) once at start, so a changed image or key takes
 * effect only after a restart; the schema is migrated before any new image starts, since the new images read the
 * new columns and tables.
 */
import {
  DeploymentSpec,
  releaseOf,
  TARGETS,
  type ToolkitServiceId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf } from './providers';

/** Services restart in this order: the database users first, then what routes to them, then the UI calling them. */
const RESTART_ORDER: readonly ToolkitServiceId[] = [
  'mps',
  'rps',
  'mpsrouter',
  'webui',
];

const WHY_THIS_POSITION: Record<ToolkitServiceId, string> = {
  mps: 'reads the migrated mps database and its configuration once at start',
  rps: 'reads the migrated rps database and its configuration once at start',
  mpsrouter: 'routes to MPS: restarted once the new MPS instances run',
  webui:
    "calls the MPS and RPS APIs: restarted last, against the new release's APIs",
};

export interface RestartStep {
  /** A toolkit service, or `gateway` for the gateway's configuration. */
  part: ToolkitServiceId | 'gateway';
  /** Why it restarts (what changed), or that it does not. */
  reason: string;
  restarts: boolean;
  /** Commands on the deployment's target, in order (none when it does not restart). */
  commands: string[];
}

/** The command that restarts one service on the deployment's platform and waits for it. */
function restartCommands(spec: DeploymentSpec, id: ToolkitServiceId): string[] {
  const platform = TARGETS[spec.target].platform;
  if (platform === 'compose')
    return [`docker-compose up -d --no-deps --force-recreate ${id}`];
  if (platform === 'kubernetes') {
    // MPS and RPS may be StatefulSets (ordered first start); the labels find the workload whatever its kind.
    const selector = `app.kubernetes.io/name=${id},app.kubernetes.io/instance=${spec.name}`;
    return [
      `kubectl -n ${spec.namespace} rollout restart deployment,statefulset -l ${selector}`,
      `kubectl -n ${spec.namespace} rollout status deployment,statefulset -l ${selector} --timeout=10m`,
    ];
  }
  return unknownPlatform(platform);
}

function unknownPlatform(platform: never): never {
  throw new Error(`unknown platform ${platform}`);
}

/** What differs for one service between the two specs: its image, the configuration keys its release reads. */
function serviceChanges(
  before: DeploymentSpec,
  after: DeploymentSpec,
  id: ToolkitServiceId,
): string[] {
  const changes: string[] = [];
  if (before.images[id] !== after.images[id])
    changes.push(`image ${before.images[id]} → ${after.images[id]}`);
  const keys = (s: DeploymentSpec) =>
    [...releaseOf(s).configKeys[id]].sort().join(',');
  if (keys(before) !== keys(after))
    changes.push(
      `configuration keys of ${releaseOf(after).id} differ from ${
        releaseOf(before).id
      }`,
    );
  return changes;
}

/**
 * The restart order from one spec to the next: every toolkit service in RESTART_ORDER (restarting only those whose
 * image or configuration keys change), then the gateway when its configuration files change.
 */
export function restartOrder(
  before: DeploymentSpec,
  after: DeploymentSpec,
): RestartStep[] {
  const steps: RestartStep[] = RESTART_ORDER.map(id => {
    const changes = serviceChanges(before, after, id);
    return changes.length
      ? {
          part: id,
          restarts: true,
          reason: `${changes.join('; ')}; it ${WHY_THIS_POSITION[id]}`,
          commands: restartCommands(after, id),
        }
      : {
          part: id,
          restarts: false,
          reason: 'unchanged: keeps running',
          commands: [],
        };
  });
  const gatewayText = (s: DeploymentSpec) =>
    gatewayRendererOf(s)
      .files(s)
      .map(f => `${f.path}\n${f.content}`)
      .join('\n');
  const gatewayChanged = gatewayText(before) !== gatewayText(after);
  steps.push({
    part: 'gateway',
    restarts: gatewayChanged,
    reason: gatewayChanged
      ? `its configuration (routes of ${
          releaseOf(after).id
        }) changes: apply it once the services it routes to run`
      : 'unchanged: keeps running',
    commands: [],
  });
  return steps;
}

/** The runbook's "Upgrading" section: the order, for any release change the Upgrade template makes. */
export function upgradingSection(spec: DeploymentSpec): string[] {
  const gateway = gatewayRendererOf(spec).info.label;
  return [
    '## Upgrading',
    '',
    `The portal's "Upgrade an Open AMT deployment" template moves this deployment to a newer toolkit release: it migrates the databases (step by step through each supported release) and opens a pull request with the re-rendered files, whose description lists what restarts. After merging it, restart in this order (MPS and RPS read their configuration once at start, so nothing changes until they restart; no new image may start before the schema is migrated):`,
    '',
    '1. Take a backup of both databases (migrations add columns and tables; there is no downgrade).',
    '2. Make sure the schema migration ran (the template does it; its task log lists each step).',
    ...RESTART_ORDER.map(
      (id, i) =>
        `${i + 3}. ${id}: ${WHY_THIS_POSITION[id]} — ${restartCommands(spec, id)
          .map(c => `\`${c}\``)
          .join(', then ')}.`,
    ),
    `${
      RESTART_ORDER.length + 3
    }. ${gateway}: apply its changed configuration (new routes) last, once the services it routes to run.`,
    '',
  ];
}
