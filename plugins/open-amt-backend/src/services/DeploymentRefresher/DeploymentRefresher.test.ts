import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DeploymentHealth,
  readDeploymentTarget,
} from '@open-amt-backstage/plugin-open-amt-common';
import { recordingAuditor } from '@open-amt-backstage/plugin-open-amt-test-utils';
import { ownerPolicyPermissions } from '../../__testUtils__/ownerPolicyPermissions';
import { DeploymentAccess } from '../DeploymentAccess/DeploymentAccess';
import type { HealthEngine } from '../HealthEngine/HealthEngine';
import { RefreshRateLimiter } from '../ProbeScheduling/refreshRateLimiter';
import { DeploymentRefresher } from './DeploymentRefresher';

const system = (name: string) => ({
  kind: 'System',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'open-amt.io/deployment': name },
  },
  spec: { owner: 'group:default/team-a' },
});
const health = (entityRef: string): DeploymentHealth => ({
  entityRef,
  name: 'x',
  status: 'healthy',
  simulated: false,
  components: [],
});

function setup() {
  const probed: string[] = [];
  const engine = {
    findTarget: async (ref: string) =>
      ref === 'system:default/gone'
        ? undefined
        : readDeploymentTarget(system(ref.split('/')[1])),
    refreshTarget: async (target: { entityRef: string }) => {
      probed.push(target.entityRef);
      return health(target.entityRef);
    },
  } as unknown as HealthEngine;
  const { permissions } = ownerPolicyPermissions({
    owners: {
      'system:default/mine': ['group:default/team-a'],
      'system:default/theirs': ['group:default/team-b'],
      'system:default/gone': ['group:default/team-a'],
    },
    claims: ['user:default/alice', 'group:default/team-a'],
  });
  const { auditor, events } = recordingAuditor();
  const refresher = new DeploymentRefresher({
    access: new DeploymentAccess(permissions),
    engine,
    limiter: new RefreshRateLimiter(60_000),
    auditor,
  });
  return { refresher, events, probed };
}

const alice = mockCredentials.user('user:default/alice');

describe('DeploymentRefresher', () => {
  it('refreshes an owned deployment and audits who refreshed which, with severity medium', async () => {
    const { refresher, events, probed } = setup();
    const outcome = await refresher.refresh('system:default/mine', alice, {
      type: 'action',
    });
    expect(outcome).toMatchObject({
      type: 'refreshed',
      health: { entityRef: 'system:default/mine' },
    });
    expect(probed).toEqual(['system:default/mine']);
    expect(events).toEqual([
      {
        options: {
          eventId: 'deployment-refresh',
          severityLevel: 'medium',
          meta: {
            entityRef: 'system:default/mine',
            via: 'action',
            actor: 'user:default/alice',
          },
        },
        outcome: {
          type: 'success',
          meta: { outcome: 'refreshed', status: 'healthy' },
        },
      },
    ]);
  });

  it("refuses another team's deployment before probing, and audits the refusal", async () => {
    const { refresher, events, probed } = setup();
    await expect(
      refresher.refresh('system:default/theirs', alice, { type: 'action' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(probed).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0].options.meta).toMatchObject({
      entityRef: 'system:default/theirs',
      actor: 'user:default/alice',
    });
    expect(events[0].outcome).toMatchObject({
      type: 'fail',
      error: { name: 'NotAllowedError' },
    });
  });

  it('rate-limits per deployment, audits the limited attempt, and spends no slot on an unknown deployment', async () => {
    const { refresher, events, probed } = setup();
    await expect(
      refresher.refresh('system:default/gone', alice, { type: 'action' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await refresher.refresh('system:default/mine', alice, { type: 'action' });
    const second = await refresher.refresh('system:default/mine', alice, {
      type: 'action',
    });
    expect(second).toEqual({ type: 'rate-limited', retryAfterSeconds: 60 });
    expect(probed).toEqual(['system:default/mine']);
    expect(events.map(e => e.outcome?.type)).toEqual([
      'fail',
      'success',
      'success',
    ]);
    expect(events[2].outcome?.meta).toEqual({
      outcome: 'rate-limited',
      retryAfterSeconds: 60,
    });
  });
});
