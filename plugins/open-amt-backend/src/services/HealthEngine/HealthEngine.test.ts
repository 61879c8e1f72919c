import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { SignalPayload } from '@backstage/plugin-signals-node';
import {
  OPEN_AMT_SIGNAL_CHANNEL,
  OpenAmtHealthSignal,
} from '@open-amt-backstage/plugin-open-amt-common';
import { serviceAdapters } from '@open-amt-backstage/plugin-open-amt-node';
import {
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
import { defaultProbeAdapters } from '../createHealthServices';
import { loggedLines } from '../../__testUtils__/loggedLines';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

describe('HealthEngine', () => {
  let vault: VaultContractServer;
  let probeDatabases: ProbeDatabases;
  const deployments: ContractDeployment[] = [];

  beforeAll(async () => {
    vault = await startVaultServer();
    probeDatabases = await createProbeDatabases('eng');
  });
  afterAll(async () => {
    await Promise.all(deployments.map(d => d.close()));
    await vault.close();
    await probeDatabases.close();
  });

  async function healthyDeployment(name: string, latencyMs = 0) {
    const d = await startContractDeployment({
      name,
      vault,
      latencyMs,
      database: probeDatabases.database,
    });
    deployments.push(d);
    return d;
  }

  function recorders() {
    const signals: SignalPayload[] = [];
    const notifications: NotificationSendOptions[] = [];
    return {
      signals,
      notifications,
      signalService: {
        publish: async (s: SignalPayload) => void signals.push(s),
      },
      notificationService: {
        send: async (n: NotificationSendOptions) => void notifications.push(n),
      },
    };
  }

  it('sweeps every deployment, signals each change and notifies on down and on recovery', async () => {
    const d = await healthyDeployment('engine-ok');
    const rec = recorders();
    const knex = await databases.init('SQLITE_3');
    const { engine, store } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [d.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
      },
      signals: rec.signalService as any,
      notifications: rec.notificationService as any,
    });

    const report = await engine.sweep();
    expect(report).toMatchObject({
      deployments: 1,
      probes: 10,
      storeFailures: 0,
    });
    const first = await store.getDeployment(d.entityRef);
    expect(first?.components.map(c => `${c.component}:${c.status}`)).toEqual([
      'mps:healthy',
      'rps:healthy',
      'mpsrouter:healthy',
      'webui:healthy',
      'database:healthy',
      'secrets:healthy',
      'gateway:healthy',
      'cira:healthy',
      'devices:healthy',
      'certificates:healthy',
    ]);
    expect(first?.status).toBe('healthy');
    expect(rec.signals).toHaveLength(1);
    expect(rec.signals[0].channel).toBe(OPEN_AMT_SIGNAL_CHANNEL);
    expect(rec.signals[0].recipients).toEqual({
      type: 'user',
      entityRef: ['group:default/platform'],
    });
    expect(rec.notifications).toHaveLength(0);

    // Unchanged: no signal.
    await engine.sweep();
    expect(rec.signals).toHaveLength(1);

    d.mps.state.healthThrows = true;
    await engine.sweep();
    const down = rec.signals[1].message as unknown as OpenAmtHealthSignal;
    // MPS Router's probe reaches MPS health through the router, so it goes down with MPS.
    expect(down).toEqual({
      entityRef: d.entityRef,
      status: 'down',
      changed: [
        { component: 'mps', from: 'healthy', to: 'down' },
        { component: 'mpsrouter', from: 'healthy', to: 'down' },
      ],
    });
    expect(rec.notifications).toHaveLength(1);
    expect(rec.notifications[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/platform'] },
      payload: {
        title: 'Open AMT deployment Open AMT engine-ok is down',
        severity: 'critical',
        link: '/catalog/default/system/engine-ok',
      },
    });
    expect(rec.notifications[0].payload.description).toContain('mps:');

    d.mps.state.healthThrows = false;
    await engine.sweep();
    expect(rec.notifications).toHaveLength(2);
    expect(rec.notifications[1].payload).toMatchObject({
      title: 'Open AMT deployment Open AMT engine-ok recovered',
      severity: 'normal',
    });
  });

  it('asks rarely-changing facts once per sweep series, and everything again on an on-demand refresh', async () => {
    const d = await healthyDeployment('engine-facts');
    const knex = await databases.init('SQLITE_3');
    const { engine } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [d.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
      },
    });
    // MPS also receives the health request the MPS Router probe forwards to it.
    const asked = () =>
      [...d.mps.requests, ...d.kong.requests]
        .map(r => r.path.split('?')[0])
        .sort();
    // Device counts change from one minute to the next: asked every sweep.
    const everything = [
      '/api/v1/devices/stats',
      '/api/v1/health',
      '/api/v1/health',
      '/api/v1/version',
      '/routes',
      '/services',
      '/status',
    ];
    const clear = () => [d.mps, d.kong].forEach(s => (s.requests.length = 0));

    await engine.sweep();
    expect(asked()).toEqual(everything);
    clear();
    await engine.sweep();
    expect(asked()).toEqual([
      '/api/v1/devices/stats',
      '/api/v1/health',
      '/api/v1/health',
      '/status',
    ]);
    clear();
    const refreshed = await engine.refresh(d.entityRef);
    expect(refreshed?.status).toBe('healthy');
    expect(asked()).toEqual(everything);
  });

  it('shows a devices row with the counts MPS keeps and a certificates row judged by expiry', async () => {
    const d = await healthyDeployment('engine-rows');
    const knex = await databases.init('SQLITE_3');
    const { engine, store } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [d.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
      },
    });
    const rows = async () => {
      const health = await store.getDeployment(d.entityRef);
      const row = (id: string) =>
        health?.components.find(c => c.component === id);
      return {
        status: health?.status,
        devices: row('devices'),
        certificates: row('certificates'),
      };
    };

    await engine.sweep();
    const first = await rows();
    expect(first.devices).toMatchObject({
      status: 'healthy',
      details: { totalCount: 2, connectedCount: 1, disconnectedCount: 1 },
    });
    // The CIRA certificate comes from the CIRA row of the same sweep, the domain from RPS.
    const certs = (first.certificates?.details as any)?.certificates;
    expect(first.certificates?.status).toBe('healthy');
    expect(certs.map((c: any) => `${c.kind}:${c.name}`).sort()).toEqual([
      'cira:mps.engine-rows.example.com',
      'provisioning:vpro',
    ]);

    d.mps.state.devices[1].connected = true;
    d.rps.state.domains[0].expirationDate = new Date(
      Date.now() + 10 * 86_400_000,
    );
    await engine.sweep();
    const second = await rows();
    expect(second.devices?.details).toMatchObject({ connectedCount: 2 });
    expect(second.certificates?.status).toBe('degraded');
    expect(second.certificates?.message).toMatch(/domain vpro .* expires on/);
    // A certificate to renew degrades the deployment; it does not take it down.
    expect(second.status).toBe('degraded');
  });

  it('sends no notification when notifications are disabled, but still signals', async () => {
    const d = await healthyDeployment('engine-quiet');
    const rec = recorders();
    const knex = await databases.init('SQLITE_3');
    const { engine } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [d.entity],
      health: { notifications: { enabled: false } },
      signals: rec.signalService as any,
      notifications: rec.notificationService as any,
    });
    d.rps.state.healthThrows = true;
    await engine.sweep();
    d.rps.state.healthThrows = false;
    expect(rec.signals.length).toBeGreaterThan(0);
    expect(rec.notifications).toHaveLength(0);
  });

  it('keeps delivery failures out of the sweep', async () => {
    const d = await healthyDeployment('engine-nodelivery');
    const knex = await databases.init('SQLITE_3');
    const { engine, store, logger } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [d.entity],
      signals: {
        publish: async () => {
          throw new Error('signals backend missing');
        },
      },
      notifications: {
        send: async () => {
          throw new Error('notifications backend missing');
        },
      },
    });
    d.mps.state.healthThrows = true;
    await expect(engine.sweep()).resolves.toMatchObject({ storeFailures: 0 });
    d.mps.state.healthThrows = false;
    expect((await store.getDeployment(d.entityRef))?.status).toBe('down');
    expect(loggedLines(logger).join('\n')).toContain('signals backend missing');
  });

  it('never runs more probes at once than configured', async () => {
    const fleet = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        healthyDeployment(`engine-bound-${i}`, 40),
      ),
    );
    let active = 0;
    let peak = 0;
    const counted = Object.fromEntries(
      Object.entries(serviceAdapters).map(([id, adapter]) => [
        id,
        {
          ...adapter,
          probe: async (url: string, ctx: any) => {
            active += 1;
            peak = Math.max(peak, active);
            try {
              return await adapter.probe(url, ctx);
            } finally {
              active -= 1;
            }
          },
        },
      ]),
    ) as typeof serviceAdapters;
    const knex = await databases.init('SQLITE_3');
    const { engine } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: fleet.map(d => d.entity),
      health: { concurrency: 3 },
      adapters: { ...defaultProbeAdapters, services: counted },
    });
    const report = await engine.sweep();
    expect(report.probes).toBe(6 * 10);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('stops tracking deployments that left the catalog', async () => {
    const a = await healthyDeployment('engine-keep');
    const b = await healthyDeployment('engine-drop');
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const first = await createTestEngine({
      database,
      entities: [a.entity, b.entity],
    });
    await first.engine.sweep();
    expect((await first.store.listFleet({})).totalCount).toBe(2);
    const second = await createTestEngine({ database, entities: [a.entity] });
    await second.engine.sweep();
    const fleet = await second.store.listFleet({});
    expect(fleet.items.map(i => i.name)).toEqual(['engine-keep']);
  });

  it('spreads deployments over the jitter window', async () => {
    const fleet = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        healthyDeployment(`engine-jitter-${i}`),
      ),
    );
    // Pinned draws: the deployments wait 0, 200, 400 and 600 ms of the 800 ms window.
    const draws = [0, 0.25, 0.5, 0.75];
    const knex = await databases.init('SQLITE_3');
    const { engine, store } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: fleet.map(d => d.entity),
      health: { jitterMs: 800 },
      random: () => draws.shift()!,
    });
    const started = Date.now();
    await engine.sweep();
    const checked = (await store.listFleet({})).items
      .map(i => Date.parse(i.checkedAt!) - started)
      .sort((a, b) => a - b);
    // Timers never fire early, so the k-th result comes no sooner than the k-th wait, however loaded the
    // machine is; without the jitter all four would be stored at once (a few ms in).
    expect(checked).toHaveLength(4);
    [0, 200, 400, 600].forEach((wait, k) =>
      expect(checked[k]).toBeGreaterThanOrEqual(wait - 1),
    );
  });
});
