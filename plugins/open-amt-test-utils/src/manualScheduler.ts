import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * A scheduler whose tasks run only when a test triggers them (`scheduler.triggerTask(id)`), and its service factory
 * for startTestBackend. mockServices.scheduler() is a MockSchedulerService, but its type only says SchedulerService.
 */
export function manualScheduler() {
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & {
    factory(options?: {
      skipTaskRunOnStartup?: boolean;
    }): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };
  return {
    scheduler,
    factory: scheduler.factory({ skipTaskRunOnStartup: true }),
  };
}
