import { toError } from '@backstage/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ComponentHealth,
  deriveDeploymentStatus,
  DeploymentHealth,
  DeploymentTarget,
  OPEN_AMT_ANNOTATIONS,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DeviceDropAlerts } from '../Alerts/DeviceDropAlerts';
import { RoundLocks } from '../Alerts/RoundLocks';
import type { HealthNotifier } from '../HealthNotifier/HealthNotifier';
import type { DeploymentMeta, HealthStore } from '../HealthStore/HealthStore';
import type { DeploymentProber } from './DeploymentProber';
import { SweepRecorder } from './SweepRecorder';

export interface SweepReport {
  deployments: number;
  probes: number;
  /** Deployments whose result could not be stored (e.g. the database connection dropped). */
  storeFailures: number;
  durationMs: number;
}

const TARGET_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'relations',
];

export function metaOf(target: DeploymentTarget): DeploymentMeta {
  return {
    entityRef: target.entityRef,
    namespace: target.namespace,
    name: target.name,
    title: target.title,
    owner: target.owner,
    ownedBy: target.ownedBy,
    target: target.target,
    simulated: target.simulated,
    providers: target.providers,
    toolkitRelease: target.annotatedToolkitRelease,
  };
}

/**
 * Sweeps every deployment in the catalog (run by the scheduler, one replica at a time) and refreshes
 * single deployments on demand: probe, judge the alerts (DeviceDropAlerts), store, then signal and notify.
 */
export class HealthEngine {
  private readonly rounds = new RoundLocks();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: HealthStore;
      prober: DeploymentProber;
      /** Judges each round before it is stored (both the sweep and refreshes). */
      alerts: DeviceDropAlerts;
      notifier: HealthNotifier;
      logger: LoggerService;
      jitterMs: number;
      random?: () => number;
    },
  ) {}

  /** Deployment Systems in the catalog, read with the plugin's own service identity. */
  async listTargets(): Promise<DeploymentTarget[]> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'system',
          [`metadata.annotations.${OPEN_AMT_ANNOTATIONS.deployment}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: TARGET_FIELDS,
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items
      .map(e => this.options.prober.readTarget(e))
      .filter((t): t is DeploymentTarget => Boolean(t));
  }

  async sweep(signal?: AbortSignal): Promise<SweepReport> {
    const started = Date.now();
    const { store, logger } = this.options;
    const targets = await this.listTargets();
    const tracked = new Set(targets.map(t => t.entityRef));
    this.options.prober.retainOnly(tracked);
    this.options.alerts.retainOnly(tracked);
    try {
      const { removed } = await store.syncDeployments(targets.map(metaOf));
      if (removed.length)
        logger.info(
          `Stopped tracking ${removed.length} deployment(s) no longer in the catalog`,
        );
    } catch (error) {
      logger.warn(
        `Could not sync the deployment list: ${toError(error).message}`,
      );
    }
    // Alerts are judged from the stored rounds, perhaps stored by another replica's sweep an interval ago.
    await store.catchUp().catch(() => undefined);
    let probes = 0;
    const recorder = new SweepRecorder({
      store,
      notifier: this.options.notifier,
      logger,
    });
    const stored: Promise<boolean>[] = [];
    await Promise.all(
      targets.map(async target => {
        await this.jitter(signal);
        if (signal?.aborted) return;
        const components = await this.options.prober.probe(target, signal);
        probes += components.length;
        const meta = metaOf(target);
        // Held until the round is stored: a refresh of the same deployment then judges its alert from this round.
        const release = await this.rounds.acquire(meta.entityRef);
        const round = await this.options.alerts.apply(
          meta.entityRef,
          components,
        );
        const done = recorder.add(
          meta,
          round.components,
          undefined,
          round.events,
        );
        stored.push(done);
        void done.finally(release);
      }),
    );
    // Every probe is in: write the last partial batch now rather than after the batch delay.
    recorder.flush();
    const storeFailures = (await Promise.all(stored)).filter(ok => !ok).length;
    const report = {
      deployments: targets.length,
      probes,
      storeFailures,
      durationMs: Date.now() - started,
    };
    const notStored = storeFailures
      ? `, ${storeFailures} result(s) not stored`
      : '';
    logger.info(
      `Health sweep: ${report.deployments} deployment(s), ${report.probes} probe(s) in ${report.durationMs} ms${notStored}`,
    );
    return report;
  }

  /**
   * One deployment System from the catalog; undefined when absent or not a deployment. Read by entity ref in a
   * request body (getEntitiesByRefs), so no part of the ref ever becomes a URL path segment.
   */
  async findTarget(entityRef: string): Promise<DeploymentTarget | undefined> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: [entityRef] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const entity = items[0];
    return entity ? this.options.prober.readTarget(entity) : undefined;
  }

  /** Probes one deployment now (POST …/refresh); undefined when the catalog has no such deployment. */
  async refresh(entityRef: string): Promise<DeploymentHealth | undefined> {
    const target = await this.findTarget(entityRef);
    return target && this.refreshTarget(target);
  }

  /** Probes a deployment already read from the catalog now. */
  async refreshTarget(
    target: DeploymentTarget,
  ): Promise<DeploymentHealth | undefined> {
    const { store } = this.options;
    // Someone asked on purpose, perhaps after changing the deployment: nothing learned before is trusted.
    const probed = await this.options.prober.probe(target, undefined, {
      fresh: true,
    });
    const { stored, components } = await this.recordAndNotify(target, probed);
    if (stored) return store.getDeployment(target.entityRef);
    // Probed but not stored: still answer with what was learned.
    return {
      entityRef: target.entityRef,
      name: target.name,
      title: target.title,
      owner: target.owner,
      target: target.target,
      simulated: target.simulated,
      status: deriveDeploymentStatus(components),
      checkedAt: new Date().toISOString(),
      components,
    };
  }

  private async recordAndNotify(
    target: DeploymentTarget,
    probed: ComponentHealth[],
  ): Promise<{ stored: boolean; components: ComponentHealth[] }> {
    const meta = metaOf(target);
    const release = await this.rounds.acquire(meta.entityRef);
    try {
      // Another replica may have stored this deployment's last rounds moments ago.
      const round = await this.options.alerts.apply(meta.entityRef, probed, {
        catchUp: true,
      });
      try {
        const outcome = await this.options.store.record(meta, round.components);
        await this.options.notifier.onRecorded(
          meta,
          outcome,
          round.components,
          round.events,
        );
        return { stored: true, components: round.components };
      } catch (error) {
        this.options.logger.warn(
          `Storing the health of ${target.entityRef} failed: ${
            toError(error).message
          }`,
        );
        return { stored: false, components: round.components };
      }
    } finally {
      release();
    }
  }

  /** Waits a random part of jitterMs; a cancelled sweep stops waiting at once. */
  private async jitter(signal?: AbortSignal): Promise<void> {
    const { jitterMs } = this.options;
    if (jitterMs <= 0) return;
    const delay = Math.floor((this.options.random ?? Math.random)() * jitterMs);
    // node:timers/promises removes its abort listener when the wait ends; it rejects on abort, which only ends the wait.
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  }
}
