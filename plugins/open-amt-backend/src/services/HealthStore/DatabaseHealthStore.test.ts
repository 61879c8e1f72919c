import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
  HealthStatus,
  LATEST_TOOLKIT_RELEASE,
  UNANNOTATED_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DatabaseHealthStore } from './DatabaseHealthStore';
import { DeploymentMeta } from './HealthStore';
import { BUCKET_MS } from './history';

jest.setTimeout(60_000);

// PostgreSQL is the local server when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set
// (.ci/run sets it); without it only SQLite runs. Docker is never used here.
const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const meta = (
  name: string,
  extra: Partial<DeploymentMeta> = {},
): DeploymentMeta => ({
  entityRef: `system:default/${name}`,
  namespace: 'default',
  name,
  title: name.toUpperCase(),
  owner: 'group:default/platform',
  target: 'compose',
  simulated: false,
  providers: { database: 'postgresql', secrets: 'vault', gateway: 'kong' },
  ...extra,
});

const component = (
  c: ComponentId,
  status: HealthStatus,
  latencyMs?: number,
): ComponentHealth => ({
  component: c,
  provider:
    (
      { database: 'postgresql', secrets: 'vault', gateway: 'kong' } as Record<
        string,
        ComponentHealth['provider']
      >
    )[c] ?? 'open-amt',
  supportLevel: 'native',
  status,
  latencyMs,
  checkedAt: new Date('2025-01-01T00:00:00Z').toISOString(),
  message: `${c} is ${status}`,
  details: { version: '1.0' },
});

const allComponents = (status: HealthStatus, latencyMs = 10) =>
  COMPONENT_IDS.map(c => component(c, status, latencyMs));
/** What a sweep recorded before the first `count` components (append-only) were all there were. */
const firstComponents = (count: number, status: HealthStatus, latencyMs = 10) =>
  allComponents(status, latencyMs).slice(0, count);
/** What a sweep recorded before the CIRA endpoint was a component. */
const sevenComponents = (status: HealthStatus, latencyMs = 10) =>
  firstComponents(7, status, latencyMs);

describe.each(databases.eachSupportedId())(
  'DatabaseHealthStore on %p',
  (databaseId: TestDatabaseId) => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('runs the migrations up and down', async () => {
      const knex = await databases.init(databaseId);
      await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
      });
      for (const table of [
        'open_amt_deployments',
        'open_amt_component_state',
        'open_amt_transitions',
        'open_amt_history',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      await knex.migrate.rollback(
        { directory: `${__dirname}/../../../migrations` },
        true,
      );
      expect(await knex.schema.hasTable('open_amt_deployments')).toBe(false);
    });

    it('records the latest state and logs only changes', async () => {
      const { store } = await createStore();
      const t0 = new Date('2025-03-01T10:00:00Z');
      const first = await store.record(meta('a'), allComponents('healthy'), t0);
      expect(first).toMatchObject({ previousStatus: null, status: 'healthy' });
      expect(first.changed).toHaveLength(10);

      const same = await store.record(
        meta('a'),
        allComponents('healthy'),
        new Date(t0.getTime() + 60_000),
      );
      expect(same.changed).toEqual([]);

      const down = allComponents('healthy').map(c =>
        c.component === 'database'
          ? { ...c, status: 'down' as const, message: 'auth failed' }
          : c,
      );
      const third = await store.record(
        meta('a'),
        down,
        new Date(t0.getTime() + 120_000),
      );
      expect(third).toMatchObject({
        previousStatus: 'healthy',
        status: 'down',
      });
      expect(third.changed).toEqual([
        {
          component: 'database',
          from: 'healthy',
          to: 'down',
          message: 'auth failed',
        },
      ]);

      const health = await store.getDeployment('system:default/a');
      expect(health?.status).toBe('down');
      expect(health?.checkedAt).toBe(
        new Date(t0.getTime() + 120_000).toISOString(),
      );
      expect(health?.components.map(c => c.component)).toEqual([
        'mps',
        'rps',
        'mpsrouter',
        'webui',
        'database',
        'secrets',
        'gateway',
        'cira',
        'devices',
        'certificates',
      ]);
      expect(
        health?.components.find(c => c.component === 'database'),
      ).toMatchObject({
        status: 'down',
        message: 'auth failed',
        details: { version: '1.0' },
      });

      const history = await store.getHistory(
        'system:default/a',
        t0,
        new Date(t0.getTime() + 3600_000),
      );
      expect(
        history!.transitions.filter(t => t.component === 'deployment'),
      ).toEqual([
        {
          component: 'deployment',
          from: null,
          to: 'healthy',
          at: t0.toISOString(),
          message: 'Deployment is healthy',
        },
        expect.objectContaining({ from: 'healthy', to: 'down' }),
      ]);
    });

    it('downsamples into 5-minute buckets with uptime and latency percentiles', async () => {
      const { store } = await createStore();
      const start = new Date('2025-03-01T00:00:00Z').getTime();
      // 10 samples in the first bucket: latencies 10..100 ms; 2 of them down.
      for (let i = 0; i < 10; i++) {
        const status: HealthStatus = i < 2 ? 'down' : 'healthy';
        await store.record(
          meta('b'),
          [component('mps', status, (i + 1) * 10)],
          new Date(start + i * 20_000),
        );
      }
      await store.record(
        meta('b'),
        [component('mps', 'healthy', 50)],
        new Date(start + BUCKET_MS + 1000),
      );
      const history = await store.getHistory(
        'system:default/b',
        new Date(start),
        new Date(start + 2 * BUCKET_MS),
      );
      const mps = history!.buckets.filter(b => b.component === 'mps');
      expect(mps).toHaveLength(2);
      expect(mps[0]).toMatchObject({
        start: new Date(start).toISOString(),
        bucketSeconds: 300,
        samples: 10,
        uptime: 0.8,
      });
      // Latency of answering samples only (30..100 ms): p50 ~ 60, p95 ~ 100, within the sketch's 5 %.
      expect(mps[0].latencyP50Ms).toBeGreaterThan(57);
      expect(mps[0].latencyP50Ms).toBeLessThan(63);
      expect(mps[0].latencyP95Ms).toBeGreaterThan(95);
      expect(mps[0].latencyP95Ms).toBeLessThan(105);
      expect(mps[1]).toMatchObject({ samples: 1, uptime: 1 });
    });

    it('re-aggregates long ranges into at most 288 buckets per component', async () => {
      const { store } = await createStore();
      const start = new Date('2025-03-01T00:00:00Z').getTime();
      for (let i = 0; i < 12; i++) {
        await store.record(
          meta('c'),
          [component('rps', 'healthy', 20)],
          new Date(start + i * 3600_000),
        );
      }
      const week = await store.getHistory(
        'system:default/c',
        new Date(start),
        new Date(start + 7 * 86400_000),
      );
      const rps = week!.buckets.filter(b => b.component === 'rps');
      expect(rps[0].bucketSeconds).toBe(300 * 7);
      expect(rps.reduce((n, b) => n + b.samples, 0)).toBe(12);
    });

    it("keeps the devices row's counts in history, the last of each bucket", async () => {
      const { store } = await createStore();
      const t0 = new Date('2025-03-03T10:00:00Z');
      const round = (connected: number) =>
        allComponents('healthy').map(c =>
          c.component === 'devices'
            ? {
                ...c,
                details: {
                  totalCount: 4,
                  connectedCount: connected,
                  disconnectedCount: 4 - connected,
                },
              }
            : c,
        );
      await store.record(meta('gauges'), round(4), t0);
      await store.record(
        meta('gauges'),
        round(2),
        new Date(t0.getTime() + 60_000),
      );
      await store.record(
        meta('gauges'),
        round(3),
        new Date(t0.getTime() + 10 * 60_000),
      );
      const history = await store.getHistory(
        'system:default/gauges',
        t0,
        new Date(t0.getTime() + 3600_000),
      );
      const devices = history!.buckets.filter(b => b.component === 'devices');
      expect(devices.map(b => b.gauges)).toEqual([
        { connectedCount: 2, totalCount: 4 },
        { connectedCount: 3, totalCount: 4 },
      ]);
      // Only the components that keep numbers carry them.
      expect(
        history!.buckets.find(b => b.component === 'mps'),
      ).not.toHaveProperty('gauges');
    });

    it('reads state and history recorded with seven components, and adds the CIRA endpoint to them', async () => {
      const { store } = await createStore();
      const t0 = new Date('2025-03-02T10:00:00Z');
      await store.record(meta('old'), sevenComponents('healthy', 20), t0);
      const before = await store.getDeployment('system:default/old');
      expect(before?.components.map(c => c.component)).toEqual([
        'mps',
        'rps',
        'mpsrouter',
        'webui',
        'database',
        'secrets',
        'gateway',
      ]);

      // The first sweep after the upgrade, in the same history bucket.
      const withCira = firstComponents(8, 'healthy', 20).map(c =>
        c.component === 'cira'
          ? { ...c, status: 'down' as const, message: 'no TLS' }
          : c,
      );
      const after = await store.record(
        meta('old'),
        withCira,
        new Date(t0.getTime() + 60_000),
      );
      expect(after).toMatchObject({
        previousStatus: 'healthy',
        status: 'down',
      });
      expect(after.changed).toEqual([
        { component: 'cira', from: null, to: 'down', message: 'no TLS' },
      ]);

      const history = await store.getHistory(
        'system:default/old',
        t0,
        new Date(t0.getTime() + 3600_000),
      );
      const samplesOf = (c: ComponentId) =>
        history!.buckets
          .filter(b => b.component === c)
          .reduce((n, b) => n + b.samples, 0);
      expect(samplesOf('mps')).toBe(2);
      expect(samplesOf('gateway')).toBe(2);
      expect(history!.buckets.filter(b => b.component === 'cira')).toEqual([
        expect.objectContaining({ samples: 1, uptime: 0 }),
      ]);
    });

    it("reads rows stored as 'custom' before the provider kit as today's level, an adopter's provider still as custom", async () => {
      const { knex, store } = await createStore();
      const providers = {
        database: 'mariadb',
        secrets: 'acme-secrets',
        gateway: 'kong',
      } as Record<string, ComponentHealth['provider']>;
      await store.record(
        meta('before-kit', {
          providers: {
            database: 'mariadb',
            secrets: 'acme-secrets',
            gateway: 'kong',
          },
        }),
        allComponents('healthy').map(c => ({
          ...c,
          provider: providers[c.component] ?? c.provider,
        })),
        new Date('2025-03-03T10:00:00Z'),
      );
      // What a portal without the kit stored for these two components.
      await knex('open_amt_component_state')
        .whereIn('component', ['database', 'secrets'])
        .update({ support_level: 'custom' });

      const reopened = await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
      });
      const levels = Object.fromEntries(
        (await reopened.getDeployment(
          'system:default/before-kit',
        ))!.components.map(c => [c.component, c.supportLevel]),
      );
      expect(levels).toMatchObject({
        database: 'kit',
        secrets: 'custom',
        gateway: 'native',
        mps: 'native',
      });
    });

    it('pages, filters, sorts and counts the fleet', async () => {
      const { store } = await createStore();
      await store.syncDeployments([
        meta('alpha', { owner: 'group:default/a' }),
        meta('bravo', {
          owner: 'group:default/b',
          providers: {
            database: 'mariadb',
            secrets: 'aws-kms',
            gateway: 'tyk',
          },
        }),
        meta('charlie', {
          owner: 'group:default/a',
          target: 'aks',
          title: 'Prod 100%',
        }),
      ]);
      await store.record(
        meta('alpha', { owner: 'group:default/a' }),
        allComponents('healthy'),
      );
      await store.record(
        meta('bravo', {
          owner: 'group:default/b',
          providers: {
            database: 'mariadb',
            secrets: 'aws-kms',
            gateway: 'tyk',
          },
        }),
        allComponents('down'),
      );

      const all = await store.listFleet({});
      expect(all.totalCount).toBe(3);
      expect(all.counts).toEqual({
        healthy: 1,
        degraded: 0,
        down: 1,
        unknown: 1,
      });
      expect(all.items.map(i => i.name)).toEqual(['alpha', 'bravo', 'charlie']);
      expect(all.items[0].componentCounts).toEqual({
        healthy: 10,
        degraded: 0,
        down: 0,
        unknown: 0,
      });

      const byStatus = await store.listFleet({ sort: 'status', order: 'asc' });
      expect(byStatus.items.map(i => i.status)).toEqual([
        'down',
        'unknown',
        'healthy',
      ]);

      expect(
        (await store.listFleet({ provider: ['tyk'] })).items.map(i => i.name),
      ).toEqual(['bravo']);
      expect(
        (
          await store.listFleet({
            owner: ['group:default/a'],
            status: ['unknown'],
          })
        ).items.map(i => i.name),
      ).toEqual(['charlie']);
      expect((await store.listFleet({ target: ['aks'] })).totalCount).toBe(1);
      expect(
        (await store.listFleet({ q: 'RAV' })).items.map(i => i.name),
      ).toEqual(['bravo']);
      // LIKE wildcards in the search are literal.
      expect(
        (await store.listFleet({ q: '100%' })).items.map(i => i.name),
      ).toEqual(['charlie']);
      expect((await store.listFleet({ q: '_' })).totalCount).toBe(0);

      const page2 = await store.listFleet({
        pageSize: 2,
        page: 2,
        sort: 'name',
        order: 'desc',
      });
      expect(page2).toMatchObject({ page: 2, pageSize: 2, totalCount: 3 });
      expect(page2.items.map(i => i.name)).toEqual(['alpha']);
    });

    it('removes deployments that left the catalog, with their history', async () => {
      const { store, knex } = await createStore();
      await store.record(meta('gone'), allComponents('healthy'));
      await store.record(meta('kept'), allComponents('healthy'));
      const { removed } = await store.syncDeployments([meta('kept')]);
      expect(removed).toEqual(['system:default/gone']);
      expect(await store.getDeployment('system:default/gone')).toBeUndefined();
      const [{ n }] = await knex('open_amt_history').count({ n: '*' });
      expect(Number(n)).toBe(1);
    });

    it('syncs the catalog writing only what changed, and keeps its snapshot when nothing did', async () => {
      const { store, knex } = await createStore();
      await store.syncDeployments([meta('s1'), meta('s2')]);
      await store.record(meta('s1'), allComponents('healthy'));
      expect((await store.getDeployment('system:default/s1'))?.title).toBe(
        'S1',
      );
      const writes: string[] = [];
      const reads: string[] = [];
      const onQuery = (q: { sql: string }) =>
        (/^select/i.test(q.sql.trim()) ? reads : writes).push(q.sql);
      knex.on('query', onQuery);
      try {
        // The same catalog again: nothing written, and the snapshot still answers without reading the database.
        await store.syncDeployments([meta('s1'), meta('s2')]);
        expect(writes).toEqual([]);
        reads.length = 0;
        expect((await store.getDeployment('system:default/s1'))?.status).toBe(
          'healthy',
        );
        expect(reads).toEqual([]);
        // A changed title: that row only, and the snapshot answers with it.
        await store.syncDeployments([
          meta('s1', { title: 'Renamed' }),
          meta('s2'),
        ]);
        expect(writes).toHaveLength(1);
      } finally {
        knex.removeListener('query', onQuery);
      }
      expect((await store.getDeployment('system:default/s1'))?.title).toBe(
        'Renamed',
      );
      expect(
        (await store.listFleet({})).items.map(i => [i.name, i.title]),
      ).toEqual([
        ['s1', 'Renamed'],
        ['s2', 'S2'],
      ]);
    });

    it('records a batch like one round at a time, a deployment twice in order', async () => {
      const { knex, store } = await createStore();
      const t0 = new Date('2025-03-01T10:00:00Z');
      const mpsDown = allComponents('healthy').map(c =>
        c.component === 'mps'
          ? { ...c, status: 'down' as const, message: 'mps refused' }
          : c,
      );
      const outcomes = await store.recordMany([
        { meta: meta('e'), components: allComponents('healthy'), now: t0 },
        { meta: meta('f'), components: allComponents('degraded'), now: t0 },
        {
          meta: meta('e'),
          components: mpsDown,
          now: new Date(t0.getTime() + 1000),
        },
      ]);
      expect(
        outcomes.map(o => [o.entityRef, o.previousStatus, o.status]),
      ).toEqual([
        ['system:default/e', null, 'healthy'],
        ['system:default/f', null, 'degraded'],
        ['system:default/e', 'healthy', 'down'],
      ]);
      expect(outcomes[2].changed).toEqual([
        {
          component: 'mps',
          from: 'healthy',
          to: 'down',
          message: 'mps refused',
        },
      ]);
      expect(await store.getDeployment('system:default/e')).toMatchObject({
        status: 'down',
        checkedAt: new Date(t0.getTime() + 1000).toISOString(),
      });
      expect(
        (await store.listFleet({ sort: 'status' })).items.map(i => [
          i.name,
          i.status,
          i.componentCounts.down,
        ]),
      ).toEqual([
        ['e', 'down', 1],
        ['f', 'degraded', 0],
      ]);
      const history = await store.getHistory(
        'system:default/e',
        t0,
        new Date(t0.getTime() + BUCKET_MS),
      );
      expect(history!.buckets.find(b => b.component === 'mps')).toMatchObject({
        samples: 2,
        uptime: 0.5,
      });
      expect(
        history!.transitions
          .filter(t => t.component === 'deployment')
          .map(t => t.to),
      ).toEqual(['healthy', 'down']);

      // A whole sweep's batch: more rows than one SQLite compound INSERT may hold.
      const many = Array.from({ length: 150 }, (_, i) => ({
        meta: meta(`many-${i}`),
        components: allComponents('healthy'),
        now: t0,
      }));
      expect(
        (await store.recordMany(many)).every(
          o => o.status === 'healthy' && o.changed.length === 10,
        ),
      ).toBe(true);
      expect((await store.listFleet({ q: 'many-' })).totalCount).toBe(150);
      // 1,500 component rows: more than one upsert statement holds; all written, then all updated in place.
      const manyRows = () =>
        knex('open_amt_component_state as c')
          .join('open_amt_deployments as d', 'd.id', 'c.deployment_id')
          .where('d.name', 'like', 'many-%')
          .select('c.status', 'c.message', 'c.details', 'c.latency_ms');
      expect(await manyRows()).toHaveLength(1500);
      const again = await store.recordMany(
        many.map(m => ({
          ...m,
          components: allComponents('degraded').map(c => ({
            ...c,
            latencyMs: 7,
            details: { round: 2 },
          })),
          now: new Date(t0.getTime() + 60_000),
        })),
      );
      expect(again.every(o => o.previousStatus === 'healthy')).toBe(true);
      const rows = await manyRows();
      expect(rows).toHaveLength(1500);
      expect(
        rows.every(
          r =>
            r.status === 'degraded' &&
            Number(r.latency_ms) === 7 &&
            JSON.parse(r.details).round === 2,
        ),
      ).toBe(true);
    });

    it("answers from memory, its own writes at once and another replica's within readCacheMs", async () => {
      const knex = await databases.init(databaseId);
      const a = await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
        readCacheMs: 100,
      });
      const b = await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
        readCacheMs: 100,
      });
      await a.record(meta('g'), allComponents('healthy'));
      expect((await b.getDeployment('system:default/g'))?.status).toBe(
        'healthy',
      );
      await a.record(meta('g'), allComponents('down'));
      expect((await a.getDeployment('system:default/g'))?.status).toBe('down');
      // b checks the database in the background once readCacheMs passed, and answers from the reload after it.
      const deadline = Date.now() + 5000;
      while ((await b.getDeployment('system:default/g'))?.status !== 'down') {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise(r => setTimeout(r, 50));
      }
      const answer = await b.getDeploymentAnswer('system:default/g');
      expect(JSON.parse(answer!.body.toString('utf8'))).toEqual(
        JSON.parse(JSON.stringify(await b.getDeployment('system:default/g'))),
      );
      expect(answer!.etag).toMatch(/^W\/"/);
    });

    it('keeps the release annotation: a deployment is behind until its annotation names the newest release', async () => {
      const { knex, store } = await createStore();
      const t0 = new Date('2025-03-01T10:00:00Z');
      await store.syncDeployments([
        meta('old'),
        meta('new', { toolkitRelease: LATEST_TOOLKIT_RELEASE.id }),
      ]);
      await store.record(meta('old'), allComponents('healthy'), t0);
      const behind = await store.listFleet({ drift: ['behind'] });
      expect(behind.items.map(i => i.name)).toEqual(['old']);
      expect(behind.items[0].drift).toMatchObject({
        release: UNANNOTATED_TOOLKIT_RELEASE.id,
        behind: true,
      });
      expect(behind.driftCounts.behind).toBe(1);
      expect(
        (await store.getDeployment('system:default/old'))?.drift?.items[0],
      ).toMatchObject({ kind: 'release', state: 'behind' });

      // Upgraded: the next round carries the new annotation; a second replica reads it from the table.
      await store.record(
        meta('old', { toolkitRelease: LATEST_TOOLKIT_RELEASE.id }),
        allComponents('healthy'),
        new Date(t0.getTime() + 60_000),
      );
      expect((await store.listFleet({ drift: ['behind'] })).totalCount).toBe(0);
      const other = await DatabaseHealthStore.create({
        database: mockServices.database({ knex }),
      });
      const fleet = await other.listFleet({});
      expect(fleet.driftCounts.behind).toBe(0);
      expect(fleet.items.map(i => i.drift.release)).toEqual([
        LATEST_TOOLKIT_RELEASE.id,
        LATEST_TOOLKIT_RELEASE.id,
      ]);
    });

    it('deletes buckets and transitions older than the retention cutoff', async () => {
      const { store } = await createStore();
      const old = new Date('2025-01-01T00:00:00Z');
      const recent = new Date('2025-02-01T00:00:00Z');
      await store.record(meta('d'), allComponents('healthy'), old);
      await store.record(meta('d'), allComponents('down'), recent);
      const removed = await store.deleteOlderThan(
        new Date('2025-01-15T00:00:00Z'),
      );
      expect(removed.buckets).toBe(1);
      expect(removed.transitions).toBe(11); // each of the 10 components and the deployment, first seen
      const history = await store.getHistory(
        'system:default/d',
        old,
        new Date('2025-02-02T00:00:00Z'),
      );
      expect(history!.buckets.every(b => b.start >= '2025-01-15')).toBe(true);
      expect(history!.transitions.every(t => t.at >= '2025-01-15')).toBe(true);
      expect(history!.transitions.length).toBeGreaterThan(0);
    });
  },
);
