import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { DevicesAlertEvent } from '../Alerts/DeviceDropAlerts';
import { loggedLines } from '../../__testUtils__/loggedLines';
import {
  notifiersOnLedger,
  shopMeta,
} from '../../__testUtils__/ledgerNotifier';
import type { RecordOutcome } from '../HealthStore/HealthStore';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const meta = shopMeta;
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
  after: '2026-03-02T14:01:00.000Z',
};
const recovered: DevicesAlertEvent = {
  kind: 'devicesRecovered',
  alert,
  connected: 37,
  total: 40,
};

const setUp = () => notifiersOnLedger(databases);

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

  it('tells of a drop once when two replicas judged it from the same stored round at their own probe times', async () => {
    const { sent, notifierWith } = await setUp();
    const elsewhere = {
      ...dropped,
      alert: { ...alert, since: '2026-03-02T14:02:07.000Z' },
    };
    await notifierWith().onRecorded(meta(), outcome, [], [dropped]);
    await notifierWith().onRecorded(meta(), outcome, [], [elsewhere]);
    expect(sent).toHaveLength(1);
    // A later drop, after a later stored round, is another one.
    await notifierWith().onRecorded(
      meta(),
      outcome,
      [],
      [{ ...elsewhere, after: '2026-03-02T15:00:00.000Z' }],
    );
    expect(sent).toHaveLength(2);
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
    const { notifierWith } = await setUp();
    const logger = mockServices.logger.mock();
    const notifier = notifierWith(
      {},
      {
        logger,
        send: async () => {
          throw new Error('notifications backend missing');
        },
      },
    );
    await expect(
      notifier.onRecorded(meta(), outcome, [], [dropped]),
    ).resolves.toBeUndefined();
    expect(loggedLines(logger).join('\n')).toContain(
      'Sending the notification "Open AMT deployment shop lost connected devices" for system:default/shop failed: notifications backend missing',
    );
  });
});
