import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { DevicesAlertEvent } from '../Alerts/DeviceDropAlerts';
import { loggedLines } from '../../__testUtils__/loggedLines';
import { DatabaseHealthStore } from '../HealthStore/DatabaseHealthStore';
import type { DeploymentMeta, RecordOutcome } from '../HealthStore/HealthStore';
import { HealthNotifier } from './HealthNotifier';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const meta = (ownedBy = ['group:default/team-a']): DeploymentMeta => ({
  entityRef: 'system:default/shop',
  namespace: 'default',
  name: 'shop',
  ownedBy,
  simulated: false,
  providers: {},
});
const outcome: RecordOutcome = {
  entityRef: 'system:default/shop',
  previousStatus: 'healthy',
  status: 'degraded',
  changed: [],
};
const alert = {
  since: '2026-03-02T14:02:00.000Z',
  baseline: 40,
  recoverAt: 36,
};
const dropped = {
  kind: 'devicesDropped' as const,
  alert,
  message:
    'Connected devices dropped from 40 (last hour) to 12 at 14:02 UTC; recovered at 36 or more connected.',
};
const recovered: DevicesAlertEvent = {
  kind: 'devicesRecovered',
  alert,
  connected: 37,
  total: 40,
};

async function setUp() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseHealthStore.create({
    database: mockServices.database({ knex }),
  });
  const sent: NotificationSendOptions[] = [];
  const notifierWith = (overrides: Record<string, boolean> = {}) =>
    new HealthNotifier({
      logger: mockServices.logger.mock(),
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
      notifications: { send: async n => void sent.push(n) },
    });
  return { sent, notifierWith };
}

describe('HealthNotifier device notices', () => {
  it('tells of a drop and of its recovery once each, however often (and by whichever backend) the event is handed in', async () => {
    const { sent, notifierWith } = await setUp();
    for (const notifier of [notifierWith(), notifierWith()]) {
      await notifier.onRecorded(meta(), outcome, [], [dropped]);
      await notifier.onRecorded(meta(), outcome, [], [recovered]);
    }
    expect(sent.map(n => n.payload)).toEqual([
      {
        title: 'Open AMT deployment shop lost connected devices',
        description: dropped.message,
        link: '/catalog/default/system/shop',
        severity: 'high',
        topic: 'open-amt-devices',
        scope: 'open-amt-devices:system:default/shop',
      },
      {
        title: 'Open AMT deployment shop has its connected devices back',
        description:
          '37 of 40 devices are connected again (recovered at 36 or more; 40 before the drop at 2026-03-02 14:02 UTC).',
        link: '/catalog/default/system/shop',
        severity: 'normal',
        topic: 'open-amt-devices',
        scope: 'open-amt-devices:system:default/shop',
      },
    ]);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a'],
    });
  });

  it('tells nobody when off, or when the catalog confirms no owner', async () => {
    const { sent, notifierWith } = await setUp();
    await notifierWith({ enabled: false }).onRecorded(
      meta(),
      outcome,
      [],
      [dropped],
    );
    await notifierWith({ onDevicesDropped: false }).onRecorded(
      meta(),
      outcome,
      [],
      [dropped],
    );
    await notifierWith().onRecorded(meta([]), outcome, [], [dropped]);
    expect(sent).toEqual([]);
  });

  it('logs a delivery failure and carries on', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseHealthStore.create({
      database: mockServices.database({ knex }),
    });
    const logger = mockServices.logger.mock();
    const notifier = new HealthNotifier({
      logger,
      settings: {
        enabled: true,
        onDown: true,
        onRecovery: true,
        onDevicesDropped: true,
        onCertificates: true,
      },
      certificateNotifyDays: [1, 7, 30],
      notices: store,
      notifications: {
        send: async () => {
          throw new Error('notifications backend missing');
        },
      },
    });
    await expect(
      notifier.onRecorded(meta(), outcome, [], [dropped]),
    ).resolves.toBeUndefined();
    expect(loggedLines(logger).join('\n')).toContain(
      'Sending the notification "Open AMT deployment shop lost connected devices" for system:default/shop failed: notifications backend missing',
    );
  });
});
