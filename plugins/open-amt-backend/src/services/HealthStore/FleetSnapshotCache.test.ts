import { DeploymentState, FleetSnapshot } from './fleetSnapshot';
import { FleetSnapshotCache, FleetSnapshotSource } from './FleetSnapshotCache';

function state(name: string, checkedAtMs: number): DeploymentState {
  const entityRef = `system:default/${name}`;
  return {
    id: checkedAtMs,
    checkedAtMs,
    summary: {
      entityRef,
      name,
      status: 'healthy',
      providers: {},
      componentCounts: { healthy: 0, degraded: 0, down: 0, unknown: 0 },
      drift: {
        release: 'v2.37.0',
        latestRelease: 'v2.37.0',
        behind: false,
        driftedCount: 0,
      },
    },
    health: {
      entityRef,
      name,
      status: 'healthy',
      simulated: false,
      components: [],
    },
  };
}

/** A database stand-in: what it holds, a fingerprint of it, and how many full reads were made. */
function fakeSource() {
  // `gate`, when set, holds a full read after it took the rows, as a slow query would.
  const db = {
    names: ['a'],
    reads: 0,
    gate: undefined as Promise<void> | undefined,
  };
  const source: FleetSnapshotSource = {
    readFingerprint: async () => db.names.join(','),
    readSnapshot: async () => {
      db.reads += 1;
      const names = [...db.names];
      await db.gate;
      return new FleetSnapshot(names.map((n, i) => state(n, i + 1)));
    },
  };
  return { db, source };
}

const refs = async (cache: FleetSnapshotCache) =>
  (await cache.current()).entityRefs().sort();

describe('FleetSnapshotCache', () => {
  it('answers from memory and reloads in the background once readCacheMs passed and the fingerprint changed', async () => {
    const { db, source } = fakeSource();
    const cache = new FleetSnapshotCache(source, 20);
    expect(await refs(cache)).toEqual(['system:default/a']);
    db.names = ['a', 'b'];
    expect(await refs(cache)).toEqual(['system:default/a']);
    await new Promise(r => setTimeout(r, 30));
    await cache.current(); // starts the check; this read still gets the held snapshot
    await new Promise(r => setTimeout(r, 10));
    expect(await refs(cache)).toEqual(['system:default/a', 'system:default/b']);
    expect(db.reads).toBe(2);
  });

  it('applies its own committed change at once, also on top of a load that was running', async () => {
    const { db, source } = fakeSource();
    const cache = new FleetSnapshotCache(source, 60_000);
    let open = () => {};
    db.gate = new Promise<void>(resolve => (open = resolve));
    const loading = cache.current();
    await new Promise(r => setTimeout(r, 0));
    // Committed while the rows were being read: the load must not lose it.
    cache.applyChange(snapshot => snapshot.put(state('c', 99)));
    open();
    expect((await loading).entityRefs().sort()).toEqual([
      'system:default/a',
      'system:default/c',
    ]);
    cache.applyChange(snapshot => snapshot.put(state('d', 100)));
    expect(await refs(cache)).toEqual([
      'system:default/a',
      'system:default/c',
      'system:default/d',
    ]);
  });

  it('reads the database again after invalidate', async () => {
    const { db, source } = fakeSource();
    const cache = new FleetSnapshotCache(source, 60_000);
    await cache.current();
    db.names = ['x'];
    cache.invalidate();
    expect(await refs(cache)).toEqual(['system:default/x']);
    expect(db.reads).toBe(2);
  });
});
