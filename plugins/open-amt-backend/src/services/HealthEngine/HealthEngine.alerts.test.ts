/*
 * The alerts end to end on SQLite: contract MPS and RPS servers change what they hold, the engine sweeps and refreshes,
 * the real store keeps the state and the notices ledger. The notification service is a recorder (not under test).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  contractDevices,
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import {
  createProbeDatabases,
  ProbeDatabases,
} from '../../__testUtils__/probeDatabases';
import { createTestEngine } from '../../__testUtils__/testEngine';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const DAY_MS = 86_400_000;

describe('HealthEngine alerts', () => {
  let vault: VaultContractServer;
  let probeDatabases: ProbeDatabases;
  const deployments: ContractDeployment[] = [];

  beforeAll(async () => {
    vault = await startVaultServer();
    probeDatabases = await createProbeDatabases('alr');
  });
  afterAll(async () => {
    await Promise.all(deployments.map(d => d.close()));
    await vault.close();
    await probeDatabases.close();
  });

  /** A healthy deployment with 40 devices, all connected, and its engine on a fresh SQLite store. */
  async function setUp(name: string, health: Record<string, unknown> = {}) {
    const d = await startContractDeployment({
      name,
      vault,
      database: probeDatabases.database,
    });
    deployments.push(d);
    d.mps.state.devices = contractDevices(40, 40);
    const sent: NotificationSendOptions[] = [];
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const engine = await createTestEngine({
      database,
      entities: [d.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
        ...health,
      },
      notifications: { send: async n => void sent.push(n) },
    });
    const connect = (connected: number) =>
      d.mps.state.devices.forEach((device, i) => {
        device.connected = i < connected;
      });
    const devicesRow = async () =>
      (await engine.store.getDeployment(d.entityRef))?.components.find(
        c => c.component === 'devices',
      );
    const topic = (t: string) => sent.filter(n => n.payload.topic === t);
    return { d, ...engine, database, sent, connect, devicesRow, topic };
  }

  it('degrades the deployment on a drop in connected devices, tells the owners once, and once when they are back', async () => {
    const { d, engine, store, connect, devicesRow, topic } = await setUp(
      'alert-drop',
    );
    await engine.sweep();
    await engine.sweep();
    expect((await store.getDeployment(d.entityRef))?.status).toBe('healthy');

    connect(12);
    await engine.sweep();
    const dropped = await devicesRow();
    expect(dropped).toMatchObject({
      status: 'degraded',
      details: {
        totalCount: 40,
        connectedCount: 12,
        disconnectedCount: 28,
        dropAlert: { baseline: 40, recoverAt: 36 },
      },
    });
    expect(dropped?.message).toMatch(
      /^Connected devices dropped from 40 \(last hour\) to 12 at \d\d:\d\d UTC; recovered at 36 or more connected\.$/,
    );
    const { since } = dropped?.details?.dropAlert as { since: string };
    expect(Date.parse(since)).toBe(Date.parse(dropped!.checkedAt));
    expect((await store.getDeployment(d.entityRef))?.status).toBe('degraded');
    expect(topic('open-amt-devices')).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/platform'] },
        payload: {
          title:
            'Open AMT deployment Open AMT alert-drop lost connected devices',
          description: dropped?.message,
          link: '/catalog/default/system/alert-drop',
          severity: 'high',
          topic: 'open-amt-devices',
          scope: 'open-amt-devices:system:default/alert-drop',
        },
      },
    ]);

    // Still low, through a sweep and a refresh racing it: the same alert, nothing more sent.
    await Promise.all([engine.sweep(), engine.refresh(d.entityRef)]);
    expect(topic('open-amt-devices')).toHaveLength(1);
    expect((await devicesRow())?.details?.dropAlert).toMatchObject({ since });

    // Back: one round at the mark is not yet a recovery; the second (an on-demand refresh) is.
    connect(37);
    await engine.sweep();
    expect((await devicesRow())?.status).toBe('degraded');
    expect(topic('open-amt-devices')).toHaveLength(1);
    await engine.refresh(d.entityRef);
    const back = await devicesRow();
    expect(back?.status).toBe('healthy');
    expect(back?.details).not.toHaveProperty('dropAlert');
    expect((await store.getDeployment(d.entityRef))?.status).toBe('healthy');
    const notices = topic('open-amt-devices');
    expect(notices).toHaveLength(2);
    expect(notices[1].payload).toMatchObject({
      title:
        'Open AMT deployment Open AMT alert-drop has its connected devices back',
      severity: 'normal',
      scope: 'open-amt-devices:system:default/alert-drop',
    });
    expect(notices[1].payload.description).toMatch(
      /^37 of 40 devices are connected again \(recovered at 36 or more; 40 before the drop at .* UTC\)\.$/,
    );
  });

  it('catches a drop through an on-demand refresh too, and a replica whose view of the store was old tells nothing twice', async () => {
    const { d, engine, database, connect, topic, sent } = await setUp(
      'alert-refresh',
    );
    await engine.sweep();
    // A second backend on the same database, its store read before the drop.
    const other = await createTestEngine({
      database,
      entities: [d.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
      },
      notifications: { send: async n => void sent.push(n) },
    });
    expect((await other.store.getDeployment(d.entityRef))?.status).toBe(
      'healthy',
    );

    connect(10);
    await engine.refresh(d.entityRef);
    expect(topic('open-amt-devices')).toHaveLength(1);
    // The other backend refreshes at once: it reads the alert the first one stored, not its own older view.
    await other.engine.refresh(d.entityRef);
    expect(topic('open-amt-devices')).toHaveLength(1);
  });

  it('tells about a certificate once per threshold crossed, only the most urgent of several, and again once renewed', async () => {
    const { d, engine, topic } = await setUp('alert-certs');
    const expireIn = (days: number) => {
      d.rps.state.domains[0].expirationDate = new Date(
        Date.now() + days * DAY_MS,
      );
    };
    const certificateNotices = () =>
      topic('open-amt-certificates').map(n => n.payload.title);

    expireIn(31.5);
    await engine.sweep();
    expect(certificateNotices()).toEqual([]);

    expireIn(30.5);
    await engine.sweep();
    expect(topic('open-amt-certificates')).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/platform'] },
        payload: {
          title:
            'Open AMT deployment Open AMT alert-certs: provisioning certificate of domain vpro expires in 30 days',
          description: expect.stringMatching(
            /^The provisioning certificate of domain vpro \(alert-certs\.example\.com\) expires on \d{4}-\d\d-\d\d: renew it before then, or devices in this domain cannot be activated in ACM\.$/,
          ),
          link: '/catalog/default/system/alert-certs',
          severity: 'normal',
          topic: 'open-amt-certificates',
          scope:
            'open-amt-certificate:system:default/alert-certs:provisioning:vpro',
        },
      },
    ]);

    // Staying under the threshold: nothing more, also not from a refresh.
    await engine.sweep();
    await engine.refresh(d.entityRef);
    expect(certificateNotices()).toHaveLength(1);

    // Another certificate first seen 5 days from expiry: only the 7-day notice, the 30-day one is settled unsent.
    expireIn(5.5);
    await engine.sweep();
    await engine.sweep();
    expect(certificateNotices().slice(1)).toEqual([
      'Open AMT deployment Open AMT alert-certs: provisioning certificate of domain vpro expires in 5 days',
    ]);
    expect(topic('open-amt-certificates')[1].payload.severity).toBe('high');

    // Renewed (a new expiry date) and near expiry again: warned about again.
    expireIn(29.5);
    await engine.sweep();
    expect(certificateNotices().slice(2)).toEqual([
      'Open AMT deployment Open AMT alert-certs: provisioning certificate of domain vpro expires in 29 days',
    ]);
  });

  it('keeps quiet where configured: no device or certificate notices, while the row still says what happened', async () => {
    const { engine, connect, devicesRow, d, sent } = await setUp(
      'alert-quiet',
      {
        notifications: { onDevicesDropped: false, onCertificates: false },
      },
    );
    d.rps.state.domains[0].expirationDate = new Date(Date.now() + 2 * DAY_MS);
    await engine.sweep();
    connect(0);
    await engine.sweep();
    expect((await devicesRow())?.details?.dropAlert).toBeDefined();
    expect(sent).toEqual([]);
  });
});
