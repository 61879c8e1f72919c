/*
 * Test-only: HealthNotifier instances on one real notices ledger (a DatabaseHealthStore on SQLite), every notice
 * switched on unless a test overrides it, sending into a list the test reads.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { DatabaseHealthStore } from '../services/HealthStore/DatabaseHealthStore';
import type { DeploymentMeta } from '../services/HealthStore/HealthStore';
import { HealthNotifier } from '../services/HealthNotifier/HealthNotifier';

/** The deployment the notifier tests notify about, owned by team-a unless `ownedBy` says otherwise. */
export const shopMeta = (
  ownedBy = ['group:default/team-a'],
): DeploymentMeta => ({
  entityRef: 'system:default/shop',
  namespace: 'default',
  name: 'shop',
  ownedBy,
  simulated: false,
  providers: {},
});

export async function notifiersOnLedger(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseHealthStore.create({
    database: mockServices.database({ knex }),
  });
  const sent: NotificationSendOptions[] = [];
  const notifierWith = (
    overrides: Record<string, boolean> = {},
    options: {
      logger?: LoggerService;
      send?: (n: NotificationSendOptions) => Promise<void>;
    } = {},
  ) =>
    new HealthNotifier({
      logger: options.logger ?? mockServices.logger.mock(),
      settings: {
        enabled: true,
        onDown: true,
        onRecovery: true,
        onDevicesDropped: true,
        onCertificates: true,
        ...overrides,
      },
      certificateNotifyDays: [1, 7, 30],
      notices: store,
      notifications: { send: options.send ?? (async n => void sent.push(n)) },
    });
  return { knex, store, sent, notifierWith };
}
