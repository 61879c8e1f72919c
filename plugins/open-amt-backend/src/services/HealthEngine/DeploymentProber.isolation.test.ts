import type { Entity } from '@backstage/catalog-model';
import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import {
  createHostGuard,
  ServiceAdapter,
} from '@open-amt-backstage/plugin-open-amt-node';
import { defaultProbeAdapters } from '../createHealthServices';
import { createLimiter } from '../ProbeScheduling/limiter';
import { DeploymentProber } from './DeploymentProber';
import { ProbeFacts } from './ProbeFacts';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'isolated',
    annotations: {
      'open-amt.io/deployment': 'isolated',
      'open-amt.io/toolkit-release': LATEST_TOOLKIT_RELEASE.id,
      'open-amt.io/mps-url': 'http://127.0.0.1:1',
      'open-amt.io/rps-url': 'http://127.0.0.1:2',
      'open-amt.io/mpsrouter-url': 'http://127.0.0.1:3',
      'open-amt.io/webui-url': 'http://127.0.0.1:4',
    },
  },
  spec: { owner: 'group:default/platform' },
};

function service(
  component: ServiceAdapter['component'],
  probe: ServiceAdapter['probe'],
): ServiceAdapter {
  return { component, probe };
}

/** A prober whose service adapters misbehave in every way an adopter's adapter could. */
function proberWith(timeoutMs: number, facts?: ProbeFacts) {
  return new DeploymentProber({
    adapters: {
      ...defaultProbeAdapters,
      services: {
        mps: service('mps', () => {
          throw new Error('thrown before any promise');
        }),
        rps: service('rps', async () => {
          throw new Error('rejected');
        }),
        mpsrouter: service('mpsrouter', () => new Promise(() => {})),
        webui: service('webui', async (_url, ctx) => {
          ctx.memory?.remember('seen', true);
          return { status: 'healthy', message: 'fine' };
        }),
      },
    },
    guard: createHostGuard({ allowedHosts: ['127.0.0.1'] }),
    timeoutMs,
    limiter: createLimiter(4),
    credentials: {} as any,
    identity: {} as any,
    facts,
  });
}

describe('DeploymentProber isolates each component probe', () => {
  it('turns a throwing, a rejecting and a hanging adapter into down rows and still probes the rest', async () => {
    const facts = new ProbeFacts(600_000);
    const prober = proberWith(200, facts);
    const target = prober.readTarget(entity)!;
    const rows = Object.fromEntries(
      (await prober.probe(target)).map(c => [c.component, c]),
    );
    expect(rows.mps).toMatchObject({
      status: 'down',
      provider: 'open-amt',
      supportLevel: 'native',
      message: 'MPS probe failed: thrown before any promise',
    });
    expect(rows.rps).toMatchObject({
      status: 'down',
      message: 'RPS probe failed: rejected',
    });
    expect(rows.mpsrouter).toMatchObject({
      status: 'down',
      details: { timedOut: true },
    });
    expect(rows.webui).toMatchObject({ status: 'healthy', message: 'fine' });
    expect(facts.memoryFor(target.entityRef, 'webui')!.recall('seen')).toBe(
      true,
    );
    // Every row says when it was checked, unknown ones (no annotation) included.
    expect(Object.values(rows).every(r => !!Date.parse(r.checkedAt))).toBe(
      true,
    );
  });

  it('hands a fresh probe a memory that recalls nothing but still learns', async () => {
    const facts = new ProbeFacts(600_000);
    const prober = proberWith(200, facts);
    const target = prober.readTarget(entity)!;
    facts.memoryFor(target.entityRef, 'webui')!.remember('old', 1);
    await prober.probe(target, undefined, { fresh: true });
    const memory = facts.memoryFor(target.entityRef, 'webui')!;
    expect(memory.recall('old')).toBe(1);
    expect(memory.recall('seen')).toBe(true);
    expect(
      facts
        .memoryFor(target.entityRef, 'webui', { fresh: true })!
        .recall('seen'),
    ).toBeUndefined();
  });
});
