/**
 * The upgrade of a deployment from its recorded spec to a newer toolkit release, computed without I/O: the checks on
 * the target release (each refusal names the field), the spec at the new release (images that were the old
 * release's defaults move to the new release's; pinned ones stay, with a warning), the files a re-render changes,
 * the schema migration per step and the restart order.
 */
import { InputError } from '@backstage/errors';
import {
  compareReleaseIds,
  DeploymentSpec,
  isToolkitReleaseId,
  TOOLKIT_RELEASE_IDS,
  TOOLKIT_SERVICE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { migrationPath } from '@open-amt-backstage/plugin-open-amt-node';
import { renderDeployment } from '../../render';
import { diffRenderedFiles, FileChange } from '../../render/diff';
import { databaseRendererOf, RenderProviders } from '../../render/providers';
import { restartOrder, RestartStep } from '../../render/upgradeOrder';
import { parseSpecInput } from '../specInput';

/** The form's label of the target release field, for refusals. */
export const TARGET_RELEASE_FIELD = 'Target release (targetRelease)';

export interface MigrationHopPlan {
  from: string;
  to: string;
  /** The statements the adapter runs, per database; undefined when the adapter cannot list them. */
  sql?: { rps: string[]; mps: string[] };
}

export interface UpgradePlan {
  before: DeploymentSpec;
  after: DeploymentSpec;
  /** One hop per consecutive supported release: each is migrated (and checkpointed) on its own. */
  hops: MigrationHopPlan[];
  fileChanges: FileChange[];
  restartOrder: RestartStep[];
  /** Images kept because the deployment pinned them, one sentence each. */
  warnings: string[];
}

function refuse(message: string): never {
  const error = new InputError(message);
  // The task log shows a failed step's error.stack: for a person, the sentence is the whole story.
  error.stack = error.message;
  throw error;
}

/** The release ids from → to as consecutive hops; refuses unknown, same, older and a chain with a gap. */
export function upgradeHops(
  fromRelease: unknown,
  toRelease: string,
): { from: string; to: string }[] {
  if (typeof fromRelease !== 'string' || !isToolkitReleaseId(fromRelease))
    refuse(
      `The deployment's recorded spec (open-amt.io/deployment-spec) names no supported toolkitRelease (${String(
        fromRelease,
      )}); supported: ${TOOLKIT_RELEASE_IDS.join(', ')}`,
    );
  if (!isToolkitReleaseId(toRelease))
    refuse(
      `${TARGET_RELEASE_FIELD}: ${toRelease} is not a toolkit release this portal supports; supported: ${TOOLKIT_RELEASE_IDS.join(
        ', ',
      )}`,
    );
  const order = compareReleaseIds(toRelease, fromRelease);
  if (order === 0)
    refuse(
      `${TARGET_RELEASE_FIELD}: the deployment already runs ${fromRelease}; choose a newer release (nothing was changed)`,
    );
  if (order < 0)
    refuse(
      `${TARGET_RELEASE_FIELD}: ${toRelease} is older than ${fromRelease}, which the deployment runs; downgrades are not supported (restore a backup taken before the upgrade instead)`,
    );
  try {
    return migrationPath(fromRelease, toRelease).map(h => ({
      from: h.from,
      to: h.to,
    }));
  } catch (error) {
    return refuse(
      `${TARGET_RELEASE_FIELD}: ${
        (error as Error).message
      }; upgrade through each supported release in turn`,
    );
  }
}

/**
 * The spec at the new release: images equal to the old release's defaults are dropped (so the new release's defaults
 * fill them), images the deployment pinned are kept and reported.
 */
export function upgradedSpec(
  recorded: Record<string, unknown>,
  before: DeploymentSpec,
  toRelease: string,
  providers?: RenderProviders,
): { after: DeploymentSpec; warnings: string[] } {
  const registry = before.images.registry
    ? { registry: before.images.registry }
    : {};
  const defaults = parseSpecInput(
    { ...recorded, images: registry },
    providers,
  ).images;
  const pinned: Record<string, string> = {};
  const warnings: string[] = [];
  for (const id of TOOLKIT_SERVICE_IDS) {
    if (before.images[id] === defaults[id]) continue;
    pinned[id] = before.images[id];
    warnings.push(
      `images.${id}: kept ${before.images[id]}, which the deployment pinned (the ${before.toolkitRelease} default is ${defaults[id]}); make sure it runs toolkit ${toRelease}, or change it in the pull request`,
    );
  }
  const after = parseSpecInput(
    {
      ...recorded,
      toolkitRelease: toRelease,
      images: { ...registry, ...pinned },
    },
    providers,
  );
  return { after, warnings };
}

/** The whole plan; throws InputError (naming the field) for a release it refuses, before anything is touched. */
export function planUpgrade(
  recorded: Record<string, unknown>,
  toRelease: string,
  providers?: RenderProviders,
): UpgradePlan {
  const hops = upgradeHops(recorded.toolkitRelease, toRelease);
  const before = parseSpecInput(recorded, providers);
  const { after, warnings } = upgradedSpec(
    recorded,
    before,
    toRelease,
    providers,
  );
  const adapter = databaseRendererOf(before).adapter;
  return {
    before,
    after,
    hops: hops.map(h => ({
      ...h,
      ...(adapter.migrationSql
        ? { sql: adapter.migrationSql(h.from, h.to) }
        : {}),
    })),
    fileChanges: diffRenderedFiles(
      renderDeployment(before),
      renderDeployment(after),
    ),
    restartOrder: restartOrder(before, after),
    warnings,
  };
}
