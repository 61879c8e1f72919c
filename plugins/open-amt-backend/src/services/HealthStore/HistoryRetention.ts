import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { HealthStore } from './HealthStore';

export const RETENTION_TASK_ID = 'open-amt-health-retention';
/**
 * Days a sent notice is remembered: longer than any certificate's warning period, so a certificate still not renewed
 * is not warned about again; one still in use expired a year later is told about once more.
 */
export const NOTICE_RETENTION_DAYS = 400;

/**
 * Deletes history buckets and state changes older than `retentionDays`, and sent notices older than
 * NOTICE_RETENTION_DAYS (or retentionDays when longer). Its own job, scheduled on
 * coreServices.scheduler with global scope, so one replica cleans up for all of them.
 */
export class HistoryRetention {
  constructor(
    private readonly options: {
      store: Pick<HealthStore, 'deleteOlderThan' | 'deleteNoticesOlderThan'>;
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

  /** One cleanup: everything older than `retentionDays` before `now`, notices older than their own limit. */
  async run(
    now: Date = new Date(),
  ): Promise<{ buckets: number; transitions: number; notices: number }> {
    const { store, logger, retentionDays } = this.options;
    const daysAgo = (days: number) =>
      new Date(now.getTime() - days * 86400_000);
    const cutoff = daysAgo(retentionDays);
    const noticeCutoff = daysAgo(
      Math.max(NOTICE_RETENTION_DAYS, retentionDays),
    );
    const removed = await store.deleteOlderThan(cutoff);
    const notices = await store.deleteNoticesOlderThan(noticeCutoff);
    logger.info(
      `Health retention: removed ${removed.buckets} bucket(s) and ${
        removed.transitions
      } state change(s) before ${cutoff.toISOString()}, ${notices} sent notice(s) before ${noticeCutoff.toISOString()}`,
    );
    return { ...removed, notices };
  }
}
