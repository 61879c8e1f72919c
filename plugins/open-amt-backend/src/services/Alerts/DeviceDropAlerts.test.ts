import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import { DEVICES_DROP_DEFAULTS } from '../../alertsConfig';
import { loggedLines } from '../../__testUtils__/loggedLines';
import { DatabaseHealthStore } from '../HealthStore/DatabaseHealthStore';
import { DeploymentMeta, HealthStore } from '../HealthStore/HealthStore';
import { DeviceDropAlerts } from './DeviceDropAlerts';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const meta: DeploymentMeta = {
  entityRef: 'system:default/shop',
  namespace: 'default',
  name: 'shop',
  simulated: false,
  providers: {},
};
const T0 = Date.parse('2026-03-02T14:02:00Z');
const MINUTE = 60_000;

/** The devices row as the MPS adapter writes it, probed `minute` minutes after T0. */
const devices = (
  minute: number,
  connected: number,
  total = 45,
): ComponentHealth => ({
  component: 'devices',
  provider: 'open-amt',
  supportLevel: 'native',
  status: 'healthy',
  checkedAt: new Date(T0 + minute * MINUTE).toISOString(),
  message: `${connected} of ${total} devices connected to MPS.`,
  details: {
    totalCount: total,
    connectedCount: connected,
    disconnectedCount: total - connected,
  },
});
const unknownDevices = (minute: number): ComponentHealth => ({
  component: 'devices',
  provider: 'open-amt',
  supportLevel: 'native',
  status: 'unknown',
  checkedAt: new Date(T0 + minute * MINUTE).toISOString(),
  message: 'Devices not counted: MPS did not answer.',
  details: { failure: 'timeout' },
});

describe.each(databases.eachSupportedId())(
  'DeviceDropAlerts on %p',
  (databaseId: TestDatabaseId) => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      return DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
      });
    }
    /** A fresh instance: what a restarted backend, or another replica, starts with. */
    const alertsOn = (store: HealthStore) =>
      new DeviceDropAlerts({
        settings: DEVICES_DROP_DEFAULTS,
        store,
        logger: mockServices.logger.mock(),
      });
    /** Judges and stores one round, as the engine does. */
    async function round(
      alerts: DeviceDropAlerts,
      store: HealthStore,
      row: ComponentHealth,
    ) {
      const judged = await alerts.apply(meta.entityRef, [row]);
      await store.record(meta, judged.components);
      return { row: judged.components[0], events: judged.events };
    }

    it('catches a drop in the first round after a restart, from the stored round', async () => {
      const store = await createStore();
      await round(alertsOn(store), store, devices(0, 40));

      const restarted = alertsOn(store);
      const { row, events } = await round(restarted, store, devices(1, 12));
      expect(row).toMatchObject({
        status: 'degraded',
        message:
          'Connected devices dropped from 40 (last hour) to 12 at 14:03 UTC; recovered at 36 or more connected.',
        details: {
          totalCount: 45,
          connectedCount: 12,
          disconnectedCount: 33,
          dropAlert: {
            since: '2026-03-02T14:03:00.000Z',
            baseline: 40,
            recoverAt: 36,
          },
        },
      });
      expect(events).toEqual([
        {
          kind: 'devicesDropped',
          alert: row.details!.dropAlert,
          message: row.message,
          // The stored round judged against: the first one, not this one.
          after: devices(0, 40).checkedAt,
        },
      ]);

      // Stored as judged: the deployment is degraded.
      expect((await store.getDeployment(meta.entityRef))?.status).toBe(
        'degraded',
      );
    });

    it('keeps the alert and its recovery count across restarts, and ends it once', async () => {
      const store = await createStore();
      const first = alertsOn(store);
      await round(first, store, devices(0, 40));
      expect((await round(first, store, devices(1, 12))).events).toHaveLength(
        1,
      );

      const second = alertsOn(store);
      const back = await round(second, store, devices(2, 37));
      expect(back.events).toEqual([]);
      expect(back.row).toMatchObject({
        status: 'degraded',
        message:
          'Connected devices dropped from 40 (last hour) at 14:03 UTC and are at 37 of 45 now; recovered at 36 or more connected (1 of 2 rounds so far).',
        details: { dropAlert: { since: '2026-03-02T14:03:00.000Z' } },
      });

      const third = alertsOn(store);
      const recovered = await round(third, store, devices(3, 38));
      expect(recovered.row.status).toBe('healthy');
      expect(recovered.row.details).not.toHaveProperty('dropAlert');
      expect(recovered.events).toEqual([
        {
          kind: 'devicesRecovered',
          alert: {
            since: '2026-03-02T14:03:00.000Z',
            baseline: 40,
            recoverAt: 36,
          },
          connected: 38,
          total: 45,
        },
      ]);
      expect((await store.getDeployment(meta.entityRef))?.status).toBe(
        'healthy',
      );
      // Over: a next round tells nothing more.
      expect((await round(third, store, devices(4, 38))).events).toEqual([]);
    });

    it('keeps an alert through rounds MPS could not be counted, without judging the unknown row', async () => {
      const store = await createStore();
      const alerts = alertsOn(store);
      await round(alerts, store, devices(0, 40));
      await round(alerts, store, devices(1, 12));
      const unknown = await round(alerts, store, unknownDevices(2));
      expect(unknown.row).toMatchObject({
        status: 'unknown',
        message: 'Devices not counted: MPS did not answer.',
        details: {
          failure: 'timeout',
          dropAlert: { since: '2026-03-02T14:03:00.000Z', baseline: 40 },
        },
      });
      expect(unknown.events).toEqual([]);
      // Counted again and still low: the same alert, not a new one.
      const again = await round(alerts, store, devices(3, 12));
      expect(again.events).toEqual([]);
      expect(again.row.details?.dropAlert).toMatchObject({
        since: '2026-03-02T14:03:00.000Z',
      });
    });

    it('judges nothing when disabled, and nothing when the stored state cannot be read', async () => {
      const store = await createStore();
      const off = new DeviceDropAlerts({
        settings: { ...DEVICES_DROP_DEFAULTS, enabled: false },
        store,
        logger: mockServices.logger.mock(),
      });
      await round(off, store, devices(0, 40));
      const quiet = await round(off, store, devices(1, 0));
      expect(quiet.row.status).toBe('healthy');

      const logger = mockServices.logger.mock();
      const unreadable = new DeviceDropAlerts({
        settings: DEVICES_DROP_DEFAULTS,
        store: {
          catchUp: async () => undefined,
          getDeployment: async () => {
            throw new Error('connection refused');
          },
        },
        logger,
      });
      const row = devices(2, 0);
      expect(await unreadable.apply(meta.entityRef, [row])).toEqual({
        components: [row],
        events: [],
      });
      expect(loggedLines(logger).join('\n')).toMatch(
        /device-drop alert of system:default\/shop failed.*connection refused/,
      );
    });
  },
);
