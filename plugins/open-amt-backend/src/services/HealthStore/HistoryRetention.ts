import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { HealthStore } from './HealthStore';

export const RETENTION_TASK_ID = 'open-amt-health-retention';

/**
 * Deletes history buckets and state changes older than `retentionDays`. Its own job, scheduled on
 * coreServices.scheduler with global scope, so one replica cleans up for all of them.
 */
export class HistoryRetention {
  constructor(
    private readonly options: {
      store: Pick<HealthStore, 'deleteOlderThan'>;
      logger: LoggerService;
      retentionDays: number;
    },
  ) {}

  /** Every 6 hours, a minute after start-up; a run on a large history may take minutes. */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: RETENTION_TASK_ID,
      scope: 'global',
      frequency: { hours: 6 },
      timeout: { minutes: 15 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        await this.run();
      },
    });
  }

  /** One cleanup: everything older than `retentionDays` before `now`. */
  async run(
    now: Date = new Date(),
  ): Promise<{ buckets: number; transitions: number }> {
    const { store, logger, retentionDays } = this.options;
    const cutoff = new Date(now.getTime() - retentionDays * 86400_000);
    const removed = await store.deleteOlderThan(cutoff);
    logger.info(
      `Health retention: removed ${removed.buckets} bucket(s) and ${
        removed.transitions
      } state change(s) before ${cutoff.toISOString()}`,
    );
    return removed;
  }
}
