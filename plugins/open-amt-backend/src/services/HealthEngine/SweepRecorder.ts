import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { DevicesAlertEvent } from '../Alerts/DeviceDropAlerts';
import type { HealthNotifier } from '../HealthNotifier/HealthNotifier';
import type { DeploymentMeta, HealthStore } from '../HealthStore/HealthStore';

interface Pending {
  meta: DeploymentMeta;
  components: ComponentHealth[];
  now: Date;
  events: DevicesAlertEvent[];
  done(stored: boolean): void;
}

/**
 * Stores a sweep's results a batch at a time (one transaction of a few statements per batch instead of
 * about ten statements per deployment): a batch goes out when `maxBatch` results wait or `maxDelayMs`
 * after the first one, so signals still follow a change within a fraction of a second. Batches are written
 * one after another. When a batch fails, its deployments are retried one by one, so a single bad row or a
 * dropped connection costs only the results that really cannot be stored, each one logged.
 */
export class SweepRecorder {
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      store: HealthStore;
      notifier: HealthNotifier;
      logger: LoggerService;
      maxBatch?: number;
      maxDelayMs?: number;
    },
  ) {}

  /**
   * Queues one deployment's round; resolves true once stored (and notified), false when it could not be stored.
   * `events`: what the round's alerts decided, told only once the round is stored.
   */
  add(
    meta: DeploymentMeta,
    components: ComponentHealth[],
    now = new Date(),
    events: DevicesAlertEvent[] = [],
  ): Promise<boolean> {
    return new Promise<boolean>(done => {
      this.pending.push({ meta, components, now, events, done });
      if (this.pending.length >= (this.options.maxBatch ?? 100)) this.flush();
      else
        this.timer ??= setTimeout(
          () => this.flush(),
          this.options.maxDelayMs ?? 250,
        );
    });
  }

  /** Writes what is queued now (the sweep calls this when its last probe finished). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: Pending[]): Promise<void> {
    const { store } = this.options;
    let outcomes: Awaited<ReturnType<HealthStore['recordMany']>>;
    try {
      outcomes = await store.recordMany(
        batch.map(({ meta, components, now }) => ({ meta, components, now })),
      );
    } catch (error) {
      this.options.logger.warn(
        `Storing a batch of ${
          batch.length
        } health result(s) failed, storing them one by one: ${
          toError(error).message
        }`,
      );
      await Promise.all(batch.map(item => this.writeOne(item)));
      return;
    }
    await Promise.all(
      batch.map(async (item, i) => {
        await this.notify(item, outcomes[i]);
        item.done(true);
      }),
    );
  }

  private async writeOne(item: Pending): Promise<void> {
    let outcome: Awaited<ReturnType<HealthStore['record']>>;
    try {
      outcome = await this.options.store.record(
        item.meta,
        item.components,
        item.now,
      );
    } catch (error) {
      this.options.logger.warn(
        `Storing the health of ${item.meta.entityRef} failed: ${
          toError(error).message
        }`,
      );
      item.done(false);
      return;
    }
    await this.notify(item, outcome);
    item.done(true);
  }

  private async notify(
    item: Pending,
    outcome: Awaited<ReturnType<HealthStore['record']>>,
  ) {
    try {
      await this.options.notifier.onRecorded(
        item.meta,
        outcome,
        item.components,
        item.events,
      );
    } catch (error) {
      this.options.logger.warn(
        `Signalling the health of ${item.meta.entityRef} failed: ${
          toError(error).message
        }`,
      );
    }
  }
}
