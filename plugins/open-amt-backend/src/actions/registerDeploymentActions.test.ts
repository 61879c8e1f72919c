import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  COMPONENT_IDS,
  ComponentHealth,
  readDeploymentTarget,
} from '@open-amt-backstage/plugin-open-amt-common';
import { recordingAuditor } from '@open-amt-backstage/plugin-open-amt-test-utils';
import { ownerPolicyPermissions } from '../__testUtils__/ownerPolicyPermissions';
import { DeploymentAccess } from '../services/DeploymentAccess/DeploymentAccess';
import { DeploymentRefresher } from '../services/DeploymentRefresher/DeploymentRefresher';
import type { HealthEngine } from '../services/HealthEngine/HealthEngine';
import { DatabaseHealthStore } from '../services/HealthStore/DatabaseHealthStore';
import { RefreshRateLimiter } from '../services/ProbeScheduling/refreshRateLimiter';
import { registerDeploymentActions } from './registerDeploymentActions';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const MINE = ['a-1', 'a-2', 'a-3'];
const THEIRS = ['b-1', 'b-2'];
const ownerOf = (name: string) =>
  name.startsWith('a-') ? 'group:default/team-a' : 'group:default/team-b';
const components = (status: ComponentHealth['status']): ComponentHealth[] =>
  COMPONENT_IDS.map(component => ({
    component,
    provider: 'open-amt',
    supportLevel: 'native',
    status,
    checkedAt: new Date().toISOString(),
    message: `${component} is ${status}`,
    details: { token: 'never-in-an-action-answer' },
  }));

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseHealthStore.create({
    database: mockServices.database({ knex }),
  });
  for (const name of [...MINE, ...THEIRS]) {
    await store.record(
      {
        entityRef: `system:default/${name}`,
        namespace: 'default',
        name,
        owner: ownerOf(name),
        simulated: false,
        providers: {},
      },
      components('healthy'),
    );
  }
  const owners = Object.fromEntries(
    [...MINE, ...THEIRS].map(n => [`system:default/${n}`, [ownerOf(n)]]),
  );
  const { permissions } = ownerPolicyPermissions({
    owners,
    claims: ['user:default/alice', 'group:default/team-a'],
  });
  const engine = {
    findTarget: async (ref: string) =>
      readDeploymentTarget({
        kind: 'System',
        metadata: {
          name: ref.split('/')[1],
          annotations: { 'open-amt.io/deployment': 'x' },
        },
        spec: { owner: ownerOf(ref.split('/')[1]) },
      }),
    refreshTarget: async (target: { entityRef: string }) =>
      store.getDeployment(target.entityRef),
  } as unknown as HealthEngine;
  const access = new DeploymentAccess(permissions);
  const { auditor, events } = recordingAuditor();
  const refresher = new DeploymentRefresher({
    access,
    engine,
    limiter: new RefreshRateLimiter(60_000),
    auditor,
  });
  const registry = actionsRegistryServiceMock();
  registerDeploymentActions({
    actionsRegistry: registry,
    access,
    refresher,
    store,
  });
  const alice = mockCredentials.user('user:default/alice');
  const invoke = (name: string, input: Record<string, unknown>) =>
    registry.invoke({
      id: `test:${name}`,
      input: input as any,
      credentials: alice,
    });
  return { registry, invoke, events, store };
}

describe('Open AMT actions in the actions registry', () => {
  it('registers four actions with attributes: three read-only and idempotent, refresh not read-only', async () => {
    const { registry } = await setup();
    const { actions } = await registry.list();
    const attributes = Object.fromEntries(
      actions.map(a => [a.name, a.attributes]),
    );
    expect(attributes).toEqual({
      'list-deployments': {
        readOnly: true,
        idempotent: true,
        destructive: false,
      },
      'get-deployment-health': {
        readOnly: true,
        idempotent: true,
        destructive: false,
      },
      'get-deployment-history': {
        readOnly: true,
        idempotent: true,
        destructive: false,
      },
      'refresh-deployment': {
        readOnly: false,
        idempotent: true,
        destructive: false,
      },
    });
  });

  it("lists only the caller's deployments, filtered before paging", async () => {
    const { invoke } = await setup();
    const first = (await invoke('list-deployments', { pageSize: 2 }))
      .output as any;
    const second = (await invoke('list-deployments', { pageSize: 2, page: 2 }))
      .output as any;
    expect(first.totalCount).toBe(MINE.length);
    expect(
      [...first.items, ...second.items].map((i: { name: string }) => i.name),
    ).toEqual(MINE);
  });

  it('filters on what needs attention and answers devices, certificates and release per row', async () => {
    const { invoke, store } = await setup();
    const dropped = components('healthy').map(c =>
      c.component === 'devices'
        ? {
            ...c,
            status: 'degraded' as const,
            details: {
              connectedCount: 10,
              totalCount: 40,
              disconnectedCount: 30,
              dropAlert: {
                since: new Date().toISOString(),
                baseline: 38,
                recoverAt: 35,
              },
            },
          }
        : c,
    );
    for (const name of ['a-2', 'b-1'])
      await store.record(
        {
          entityRef: `system:default/${name}`,
          namespace: 'default',
          name,
          owner: ownerOf(name),
          simulated: false,
          providers: {},
        },
        dropped,
      );
    const page = (
      await invoke('list-deployments', { attention: ['devices-dropped'] })
    ).output as any;
    // Another team's dropped deployment is neither listed nor counted.
    expect(page.items.map((i: { name: string }) => i.name)).toEqual(['a-2']);
    expect(page.attentionCounts).toEqual({
      'certificates-expiring': 0,
      'devices-dropped': 1,
    });
    expect(page.items[0]).toMatchObject({
      release: 'v2.26.0',
      behind: true,
      devices: { connected: 10, total: 40, dropped: true },
    });
    await expect(
      invoke('list-deployments', { attention: ['devices-gone'] }),
    ).rejects.toThrow(/attention/);
  });

  it("reads an owned deployment's health and history; refuses another team's", async () => {
    const { invoke } = await setup();
    const health = (await invoke('get-deployment-health', { entityRef: 'a-1' }))
      .output as any;
    expect(health).toMatchObject({
      entityRef: 'system:default/a-1',
      status: 'healthy',
    });
    expect(health.components).toHaveLength(COMPONENT_IDS.length);
    expect(JSON.stringify(health)).not.toContain('never-in-an-action-answer');
    const history = (
      await invoke('get-deployment-history', {
        entityRef: 'system:default/a-1',
        hours: 2,
      })
    ).output as any;
    expect(history).toMatchObject({
      entityRef: 'system:default/a-1',
      transitionCount: expect.any(Number),
    });

    await expect(
      invoke('get-deployment-health', { entityRef: 'b-1' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      invoke('get-deployment-history', { entityRef: 'b-1' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it("refreshes an owned deployment (rate-limited, audited) and refuses another team's", async () => {
    const { invoke, events } = await setup();
    expect(
      (await invoke('refresh-deployment', { entityRef: 'a-2' })).output,
    ).toMatchObject({ accepted: true, status: 'healthy' });
    expect(
      (await invoke('refresh-deployment', { entityRef: 'a-2' })).output,
    ).toEqual({ accepted: false, retryAfterSeconds: 60 });
    await expect(
      invoke('refresh-deployment', { entityRef: 'b-2' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(
      events.map(e => [
        e.options.meta?.entityRef,
        e.options.meta?.via,
        e.outcome?.type,
      ]),
    ).toEqual([
      ['system:default/a-2', 'action', 'success'],
      ['system:default/a-2', 'action', 'success'],
      ['system:default/b-2', 'action', 'fail'],
    ]);
  });

  it('rejects a ref that is not a System, naming the field, before any permission check', async () => {
    const { invoke } = await setup();
    await expect(
      invoke('get-deployment-health', { entityRef: 'component:default/a-1' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('entityRef'),
    });
    await expect(
      invoke('refresh-deployment', { entityRef: 'system:default/Bad Name!' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('entityRef'),
    });
  });
});
