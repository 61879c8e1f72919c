import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  SignalPayload,
  SignalsService,
} from '@backstage/plugin-signals-node';
import { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { DeploymentMeta, RecordOutcome } from '../HealthStore/HealthStore';
import { HealthNotifier } from './HealthNotifier';

const settings = {
  enabled: true,
  onDown: true,
  onRecovery: true,
  onDevicesDropped: true,
  onCertificates: true,
};
const meta = (ownedBy?: string[]): DeploymentMeta => ({
  entityRef: 'system:default/shop',
  namespace: 'default',
  name: 'shop',
  owner: 'team-a',
  ownedBy,
  simulated: false,
  providers: {},
});
const wentDown: RecordOutcome = {
  entityRef: 'system:default/shop',
  previousStatus: 'healthy',
  status: 'down',
  changed: [
    {
      component: 'mps',
      from: 'healthy',
      to: 'down',
      message: 'MPS refused the connection',
    },
  ],
};
const down: ComponentHealth[] = [
  {
    component: 'mps',
    provider: 'open-amt',
    supportLevel: 'native',
    status: 'down',
    checkedAt: '2026-01-01T00:00:00Z',
    message: 'MPS refused the connection',
  },
];

function setup(options: { readers?: string[] } = {}) {
  const signals: SignalPayload[] = [];
  const notifications: Parameters<NotificationService['send']>[0][] = [];
  const notifier = new HealthNotifier({
    logger: mockServices.logger.mock(),
    settings,
    certificateNotifyDays: [1, 7, 30],
    notices: { claimNotice: async () => true },
    liveUpdates: { readers: options.readers ?? [] },
    signals: {
      publish: async (s: SignalPayload) => void signals.push(s),
    } as SignalsService,
    notifications: {
      send: async n => void notifications.push(n),
    } as NotificationService,
  });
  return { notifier, signals, notifications };
}

describe('HealthNotifier', () => {
  it('signals the confirmed owners and the configured readers, never everyone', async () => {
    const { notifier, signals } = setup({
      readers: ['group:default/platform-team'],
    });
    await notifier.onRecorded(meta(['group:default/team-a']), wentDown, down);
    expect(signals).toHaveLength(1);
    expect(signals[0].recipients).toEqual({
      type: 'user',
      entityRef: ['group:default/team-a', 'group:default/platform-team'],
    });
    expect(signals[0].message).toEqual({
      entityRef: 'system:default/shop',
      status: 'down',
      changed: [{ component: 'mps', from: 'healthy', to: 'down' }],
    });
  });

  it('publishes nothing when nobody may be told (no confirmed owner, no readers)', async () => {
    const { notifier, signals } = setup();
    await notifier.onRecorded(meta([]), wentDown, down);
    await notifier.onRecorded(meta(undefined), wentDown, down);
    expect(signals).toEqual([]);
  });

  it('notifies only the owners the catalog confirms, with a link to the entity', async () => {
    const { notifier, notifications } = setup({
      readers: ['group:default/platform-team'],
    });
    await notifier.onRecorded(meta(['group:default/team-a']), wentDown, down);
    expect(notifications).toHaveLength(1);
    expect(notifications[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a'],
    });
    expect(notifications[0].payload).toMatchObject({
      title: 'Open AMT deployment shop is down',
      link: '/catalog/default/system/shop',
      severity: 'critical',
    });
  });

  it('does not notify on spec.owner text alone (no ownedBy relation)', async () => {
    const { notifier, notifications } = setup();
    await notifier.onRecorded(meta([]), wentDown, down);
    expect(notifications).toEqual([]);
  });
});
