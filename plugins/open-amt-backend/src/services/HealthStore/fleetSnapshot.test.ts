import { HealthStatus } from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentState, FleetSnapshot } from './fleetSnapshot';

const STATUSES: HealthStatus[] = [
  'healthy',
  'down',
  'degraded',
  'unknown',
  'healthy',
  'down',
  'healthy',
];

function state(i: number): DeploymentState {
  const name = `dep-${i}`;
  const entityRef = `system:default/${name}`;
  const status = STATUSES[i % STATUSES.length];
  return {
    id: i + 1,
    checkedAtMs: 1_000 + i,
    summary: {
      entityRef,
      name,
      status,
      owner: i % 2 ? 'group:default/team-a' : 'group:default/team-b',
      providers: {},
      componentCounts: { healthy: 0, degraded: 0, down: 0, unknown: 0 },
      // dep-0, 3, 6 behind; dep-0, 2, 4, 6 drifted.
      drift: {
        release: i % 3 === 0 ? 'v2.26.0' : 'v2.37.0',
        latestRelease: 'v2.37.0',
        behind: i % 3 === 0,
        driftedCount: i % 2 === 0 ? 1 : 0,
      },
    },
    health: { entityRef, name, status, simulated: false, components: [] },
  };
}

describe('FleetSnapshot paging for a caller who sees only some deployments', () => {
  const snapshot = new FleetSnapshot(
    Array.from({ length: 7 }, (_, i) => state(i)),
  );
  const visible = new Set([
    'system:default/dep-1',
    'system:default/dep-3',
    'system:default/dep-5',
  ]);

  it('filters before counting and paging: totals, counts and every page describe only what is visible', () => {
    const first = snapshot.page({ pageSize: 2, page: 1 }, visible);
    const second = snapshot.page({ pageSize: 2, page: 2 }, visible);
    expect(first.totalCount).toBe(3);
    expect(Object.values(first.counts).reduce((a, b) => a + b, 0)).toBe(3);
    expect(first.counts).toEqual({
      healthy: 0,
      degraded: 0,
      down: 2,
      unknown: 1,
    });
    expect([...first.items, ...second.items].map(i => i.name)).toEqual([
      'dep-1',
      'dep-3',
      'dep-5',
    ]);
    expect(second.items).toHaveLength(1);
    expect(snapshot.page({ pageSize: 2, page: 3 }, visible).items).toEqual([]);
  });

  it('applies the other filters inside the visible set only', () => {
    expect(
      snapshot.page({ status: ['down'] }, visible).items.map(i => i.name),
    ).toEqual(['dep-1', 'dep-5']);
    expect(snapshot.page({ q: 'dep-2' }, visible).totalCount).toBe(0);
  });

  it('never serves a restricted page from, or into, the shared cache', () => {
    const everyone = JSON.parse(
      snapshot.pageAnswer({ pageSize: 50 }).body.toString(),
    );
    const restricted = JSON.parse(
      snapshot.pageAnswer({ pageSize: 50 }, visible).body.toString(),
    );
    const everyoneAgain = JSON.parse(
      snapshot.pageAnswer({ pageSize: 50 }).body.toString(),
    );
    expect(everyone.totalCount).toBe(7);
    expect(restricted.totalCount).toBe(3);
    expect(everyoneAgain.totalCount).toBe(7);
    expect(
      JSON.parse(
        snapshot.pageAnswer({ pageSize: 50 }, new Set()).body.toString(),
      ).items,
    ).toEqual([]);
  });
});

describe('FleetSnapshot drift filters', () => {
  const snapshot = new FleetSnapshot(
    Array.from({ length: 7 }, (_, i) => state(i)),
  );
  const names = (page: { items: { name: string }[] }) =>
    page.items.map(i => i.name);

  it('filters deployments behind the newest release, or drifted, or either', () => {
    expect(names(snapshot.page({ drift: ['behind'] }))).toEqual([
      'dep-0',
      'dep-3',
      'dep-6',
    ]);
    expect(names(snapshot.page({ drift: ['drifted'] }))).toEqual([
      'dep-0',
      'dep-2',
      'dep-4',
      'dep-6',
    ]);
    expect(snapshot.page({ drift: ['behind', 'drifted'] }).totalCount).toBe(5);
    expect(snapshot.page({}).totalCount).toBe(7);
  });

  it('counts each drift filter over the otherwise filtered fleet, whichever drift filter is chosen', () => {
    expect(snapshot.page({}).driftCounts).toEqual({ behind: 3, drifted: 4 });
    expect(snapshot.page({ drift: ['behind'] }).driftCounts).toEqual({
      behind: 3,
      drifted: 4,
    });
    // Other filters do narrow them: dep-1, 3, 5 are visible; dep-3 is behind, none drifted.
    const visible = new Set([
      'system:default/dep-1',
      'system:default/dep-3',
      'system:default/dep-5',
    ]);
    expect(snapshot.page({}, visible).driftCounts).toEqual({
      behind: 1,
      drifted: 0,
    });
    // Status counts describe the rows the drift filter kept.
    expect(snapshot.page({ drift: ['behind'] }).counts).toEqual({
      healthy: 2,
      degraded: 0,
      down: 0,
      unknown: 1,
    });
  });

  it('caches a drift-filtered page apart from the unfiltered one', () => {
    const all = JSON.parse(snapshot.pageAnswer({}).body.toString());
    const behind = JSON.parse(
      snapshot.pageAnswer({ drift: ['behind'] }).body.toString(),
    );
    expect(all.totalCount).toBe(7);
    expect(behind.totalCount).toBe(3);
  });
});

describe('FleetSnapshot attention filters and the devices sort', () => {
  // dep-0: 5/100 connected, dropped; dep-1: certificate expiring, 40/40; dep-2: both, 0/3;
  // dep-3: no counts, certificate valid; dep-4: 40/40 (ties with dep-1), nothing read about certificates.
  const facts: Pick<DeploymentState['summary'], 'devices' | 'certificates'>[] =
    [
      {
        devices: { connected: 5, total: 100, dropped: true },
        certificates: { soonestDaysLeft: 200, expiring: false },
      },
      {
        devices: { connected: 40, total: 40, dropped: false },
        certificates: { soonestDaysLeft: 12, expiring: true },
      },
      {
        devices: { connected: 0, total: 3, dropped: true },
        certificates: { soonestDaysLeft: -2, expiring: true },
      },
      { certificates: { soonestDaysLeft: 90, expiring: false } },
      { devices: { connected: 40, total: 40, dropped: false } },
    ];
  const snapshot = new FleetSnapshot(
    facts.map((f, i) => {
      const s = state(i);
      return { ...s, summary: { ...s.summary, ...f } };
    }),
  );
  const names = (page: { items: { name: string }[] }) =>
    page.items.map(i => i.name);

  it('keeps only deployments with an expiring certificate, or dropped devices, or either', () => {
    expect(
      names(snapshot.page({ attention: ['certificates-expiring'] })),
    ).toEqual(['dep-1', 'dep-2']);
    expect(names(snapshot.page({ attention: ['devices-dropped'] }))).toEqual([
      'dep-0',
      'dep-2',
    ]);
    expect(
      names(
        snapshot.page({
          attention: ['certificates-expiring', 'devices-dropped'],
        }),
      ),
    ).toEqual(['dep-0', 'dep-1', 'dep-2']);
    expect(snapshot.page({}).totalCount).toBe(5);
  });

  it('counts each attention filter whichever one is chosen, narrowed by the other filters', () => {
    const all = { 'certificates-expiring': 2, 'devices-dropped': 2 };
    expect(snapshot.page({}).attentionCounts).toEqual(all);
    expect(
      snapshot.page({ attention: ['certificates-expiring'] }).attentionCounts,
    ).toEqual(all);
    expect(
      snapshot.page({ attention: ['devices-dropped'] }).attentionCounts,
    ).toEqual(all);
    // The drift filter narrows them (drifted: dep-0, 2, 4), and the attention filter narrows the drift counts.
    expect(snapshot.page({ drift: ['drifted'] }).attentionCounts).toEqual({
      'certificates-expiring': 1,
      'devices-dropped': 2,
    });
    expect(
      snapshot.page({ attention: ['certificates-expiring'] }).driftCounts,
    ).toEqual({ behind: 0, drifted: 1 });
    // Status counts describe only the rows kept (dep-1 down, dep-2 degraded).
    expect(
      snapshot.page({ attention: ['certificates-expiring'] }).counts,
    ).toEqual({ healthy: 0, degraded: 1, down: 1, unknown: 0 });
  });

  it('caches an attention-filtered page apart from the unfiltered one', () => {
    const all = JSON.parse(snapshot.pageAnswer({}).body.toString());
    const dropped = JSON.parse(
      snapshot.pageAnswer({ attention: ['devices-dropped'] }).body.toString(),
    );
    expect(all.totalCount).toBe(5);
    expect(dropped.totalCount).toBe(2);
  });

  it('sorts by connected devices, deployments without counts last ascending and first descending, ties by name', () => {
    expect(names(snapshot.page({ sort: 'devices' }))).toEqual([
      'dep-2',
      'dep-0',
      'dep-1',
      'dep-4',
      'dep-3',
    ]);
    expect(names(snapshot.page({ sort: 'devices', order: 'desc' }))).toEqual([
      'dep-3',
      'dep-4',
      'dep-1',
      'dep-0',
      'dep-2',
    ]);
    // Paged after sorting, not before.
    expect(
      names(snapshot.page({ sort: 'devices', pageSize: 2, page: 2 })),
    ).toEqual(['dep-1', 'dep-4']);
  });
});
