import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
  deriveDeploymentStatus,
  DeploymentHealth,
  DeploymentHistory,
  DeploymentSummary,
  FleetPage,
  FleetQuery,
  HEALTH_STATUSES,
  HealthStatus,
  HistoryBucket,
  StatusTransition,
} from '@open-amt-backstage/plugin-open-amt-common';
import { Knex } from 'knex';
import { BucketData, decodeBucket, encodeBucket, mergeBucket } from './bucketCodec';
import { addSample, quantile } from './latencySketch';
import { DeploymentState, FleetSnapshot, SerializedAnswer } from './fleetSnapshot';

const migrationsDir = resolvePackagePath('@open-amt-backstage/plugin-open-amt-backend', 'migrations');

/** History is kept in 5-minute buckets; longer ranges are re-aggregated on read. */
export const BUCKET_MS = 5 * 60 * 1000;
/** A history answer holds at most this many buckets per component. */
export const MAX_HISTORY_BUCKETS = 288;
const MAX_TRANSITIONS = 1000;

/** What the store keeps about a deployment besides its health (from the catalog). */
export interface DeploymentMeta {
  entityRef: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  /** Owners the catalog confirms (ownedBy relations), for signals and notifications; not stored. */
  ownedBy?: string[];
  target?: string;
  simulated: boolean;
  providers: { database?: string; secrets?: string; gateway?: string };
}

export interface RecordOutcome {
  entityRef: string;
  previousStatus: HealthStatus | null;
  status: HealthStatus;
  changed: { component: ComponentId; from: HealthStatus | null; to: HealthStatus; message: string }[];
}

interface DeploymentRow {
  id: number;
  entity_ref: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  target: string | null;
  database_provider: string | null;
  secrets_provider: string | null;
  gateway_provider: string | null;
  simulated: boolean | number;
  status: HealthStatus;
  checked_at: string | number | null;
  count_healthy: number;
  count_degraded: number;
  count_down: number;
  count_unknown: number;
}

interface ComponentRow {
  deployment_id: number;
  component: ComponentId;
  provider: string;
  support_level: string;
  status: HealthStatus;
  latency_ms: number | null;
  checked_at: string | number;
  since: string | number;
  message: string;
  details: string | null;
}

const iso = (ms: string | number | null | undefined) => (ms === null || ms === undefined ? undefined : new Date(Number(ms)).toISOString());
const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);


/** One probe round of a deployment to record; `now` is when its probes finished. */
export interface RecordEntry {
  meta: DeploymentMeta;
  components: ComponentHealth[];
  now?: Date;
}

/** Deployments written per transaction (each costs about 10 bound values per component). */
const MAX_RECORD_BATCH = 200;
/** Rows per INSERT: knex writes multi-row inserts on SQLite as a compound SELECT, limited to 500 terms. */
const MAX_INSERT_ROWS = 400;
const META_COLUMNS = ['namespace', 'name', 'title', 'owner', 'target', 'database_provider', 'secrets_provider', 'gateway_provider', 'simulated'];
/** Without a change seen, the snapshot is still reloaded this often (catches catalog-only edits by other replicas). */
const FULL_RELOAD_MS = 60_000;

/**
 * The health engine's store (coreServices.database, knex, SQLite and PostgreSQL): latest state per
 * deployment and component, the state-change log, and downsampled history buckets.
 *
 * Writes are batched: a sweep records its deployments a batch at a time, each batch one transaction of a
 * handful of statements. Reads of latest state (fleet pages, deployment cards) come from an in-memory
 * snapshot of the two latest-state tables: loaded from the database, updated with this replica's writes
 * as they commit, and checked against the database every `readCacheMs` so other replicas' writes show up
 * within that time. History is always read from the database.
 */
export class HealthStore {
  static async create(options: { database: DatabaseService; skipMigrations?: boolean; readCacheMs?: number }): Promise<HealthStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateWithRetry(client);
    }
    return new HealthStore(client, options.readCacheMs);
  }

  private readonly isPostgres: boolean;
  private snapshot?: FleetSnapshot;
  private loading?: Promise<FleetSnapshot>;
  /** This replica's changes that committed while a load was running: applied again on top of it. */
  private changesDuringLoad?: Array<(snapshot: FleetSnapshot) => void>;
  private checkedAt = 0;
  private loadedAt = 0;
  private fingerprint?: string;
  private checking?: Promise<void>;
  private generation = 0;

  /** `readCacheMs`: how often the snapshot is checked against the database (default 2 s; 0 = read the database every time). */
  constructor(
    private readonly db: Knex,
    private readonly readCacheMs = 2000,
  ) {
    this.isPostgres = String(db.client.config.client).includes('pg');
  }

  /**
   * Makes the deployment list match the catalog: inserts new deployments (status unknown until probed),
   * refreshes names and owners, and deletes deployments no longer in the catalog with their history.
   */
  async syncDeployments(metas: DeploymentMeta[]): Promise<{ removed: string[] }> {
    const wanted = new Map(metas.map(m => [m.entityRef, m]));
    const existing: Pick<DeploymentRow, 'id' | 'entity_ref'>[] = await this.db('open_amt_deployments').select('id', 'entity_ref');
    const removedRows = existing.filter(r => !wanted.has(r.entity_ref));
    try {
      for (const chunk of chunks(metas, 200)) {
        await this.db('open_amt_deployments')
          .insert(chunk.map(m => ({ entity_ref: m.entityRef, ...metaColumns(m) })))
          .onConflict('entity_ref')
          .merge(META_COLUMNS);
      }
      for (const chunk of chunks(removedRows.map(r => r.id), 200)) {
        await this.db.transaction(async trx => {
          for (const table of ['open_amt_history', 'open_amt_transitions', 'open_amt_component_state']) {
            await trx(table).whereIn('deployment_id', chunk).delete();
          }
          await trx('open_amt_deployments').whereIn('id', chunk).delete();
        });
      }
    } finally {
      // New rows have ids only the database knows, and a failure may have left part of the work done.
      this.invalidate();
    }
    return { removed: removedRows.map(r => r.entity_ref) };
  }

  /**
   * Records one probe round of a deployment: latest component state, state changes (component and
   * deployment level) and the current history bucket, in one transaction.
   */
  async record(meta: DeploymentMeta, components: ComponentHealth[], now: Date = new Date()): Promise<RecordOutcome> {
    const [outcome] = await this.recordMany([{ meta, components, now }]);
    return outcome;
  }

  /**
   * Records many probe rounds (a sweep's results, a batch at a time) with the same effect as recording
   * them one by one, in one transaction per batch of up to 200 deployments. Outcomes are in entry order.
   * All or nothing per batch: on an error nothing of that batch is stored.
   */
  async recordMany(entries: RecordEntry[]): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = new Array(entries.length);
    // A deployment twice in one call: the later round must see the earlier one, so it goes in a later pass.
    let rest = entries.map((entry, index) => ({ entry, index }));
    while (rest.length > 0) {
      const seen = new Set<string>();
      const pass: typeof rest = [];
      const later: typeof rest = [];
      for (const item of rest) {
        if (seen.has(item.entry.meta.entityRef)) later.push(item);
        else {
          seen.add(item.entry.meta.entityRef);
          pass.push(item);
        }
      }
      for (const chunk of chunks(pass, MAX_RECORD_BATCH)) {
        const written = await this.recordBatch(chunk.map(c => c.entry));
        chunk.forEach((c, i) => (outcomes[c.index] = written[i]));
      }
      rest = later;
    }
    return outcomes;
  }

  private async recordBatch(entries: RecordEntry[]): Promise<RecordOutcome[]> {
    const states: DeploymentState[] = [];
    try {
      const outcomes = await this.db.transaction(trx => this.writeBatch(trx, entries, states));
      this.applyChange(snapshot => states.forEach(state => snapshot.put(state)));
      return outcomes;
    } catch (error) {
      // Whatever the database holds now, the snapshot must not claim more: reload on the next read.
      this.invalidate();
      throw error;
    }
  }

  private async writeBatch(trx: Knex.Transaction, entries: RecordEntry[], states: DeploymentState[]): Promise<RecordOutcome[]> {
    // Rows are locked in entity_ref order, so two batches (or a batch and a refresh) never wait on each other in a cycle.
    const refs = entries.map(e => e.meta.entityRef).sort();
    const selectDeployments = async (): Promise<Pick<DeploymentRow, 'id' | 'entity_ref' | 'status' | 'checked_at'>[]> => {
      let query = trx('open_amt_deployments').whereIn('entity_ref', refs).orderBy('entity_ref').select('id', 'entity_ref', 'status', 'checked_at');
      if (this.isPostgres) query = query.forUpdate();
      return query;
    };
    let deployments = await selectDeployments();
    if (deployments.length < refs.length) {
      const known = new Set(deployments.map(d => d.entity_ref));
      const missing = entries.filter(e => !known.has(e.meta.entityRef)).sort((a, b) => (a.meta.entityRef < b.meta.entityRef ? -1 : 1));
      await trx('open_amt_deployments')
        .insert(missing.map(e => ({ entity_ref: e.meta.entityRef, ...metaColumns(e.meta) })))
        .onConflict('entity_ref')
        .ignore();
      deployments = await selectDeployments();
    }
    const deploymentByRef = new Map(deployments.map(d => [d.entity_ref, d]));
    const ids = deployments.map(d => d.id);
    const previousRows: ComponentRow[] = await trx('open_amt_component_state').whereIn('deployment_id', ids);
    const previousById = new Map<number, ComponentRow[]>();
    for (const row of previousRows) {
      const list = previousById.get(row.deployment_id) ?? [];
      list.push(row);
      previousById.set(row.deployment_id, list);
    }

    const componentRows: ComponentRow[] = [];
    const stale: { deploymentId: number; components: ComponentId[] }[] = [];
    const transitions: TransitionRow[] = [];
    const updates: DeploymentUpdate[] = [];
    const samples: { deploymentId: number; bucketStart: number; sample: BucketData }[] = [];
    const outcomes = entries.map(({ meta, components, now }) => {
      const nowMs = (now ?? new Date()).getTime();
      const dep = deploymentByRef.get(meta.entityRef)!;
      const status = deriveDeploymentStatus(components);
      const previousStatus: HealthStatus | null = dep.checked_at === null ? null : dep.status;
      const previous = previousById.get(dep.id) ?? [];
      const previousByComponent = new Map(previous.map(r => [r.component, r]));
      const changed: RecordOutcome['changed'] = [];
      const rows = components.map(c => {
        const before = previousByComponent.get(c.component);
        const statusChanged = !before || before.status !== c.status;
        if (statusChanged) changed.push({ component: c.component, from: before?.status ?? null, to: c.status, message: c.message });
        return {
          deployment_id: dep.id,
          component: c.component,
          provider: c.provider,
          support_level: c.supportLevel,
          status: c.status,
          latency_ms: c.latencyMs === undefined ? null : Math.round(c.latencyMs),
          checked_at: Date.parse(c.checkedAt) || nowMs,
          since: statusChanged ? nowMs : Number(before!.since),
          message: c.message,
          details: c.details ? JSON.stringify(c.details) : null,
        };
      });
      componentRows.push(...rows);
      const gone = previous.filter(p => !components.some(c => c.component === p.component)).map(p => p.component);
      if (gone.length > 0) stale.push({ deploymentId: dep.id, components: gone });

      for (const c of changed) {
        transitions.push({ deployment_id: dep.id, component: c.component, from_status: c.from, to_status: c.to, at: nowMs, message: c.message });
      }
      if (previousStatus !== status) {
        transitions.push({
          deployment_id: dep.id,
          component: 'deployment',
          from_status: previousStatus,
          to_status: status,
          at: nowMs,
          message: `Deployment is ${status}`,
        });
      }
      const counts = countStatuses(components);
      updates.push({ id: dep.id, status, checkedAt: nowMs, counts });
      samples.push({ deploymentId: dep.id, bucketStart: Math.floor(nowMs / BUCKET_MS) * BUCKET_MS, sample: bucketSample(components) });
      states.push(stateOf(dep.id, meta, status, nowMs, counts, rows));
      return { entityRef: meta.entityRef, previousStatus, status, changed };
    });

    for (const chunk of chunks(componentRows, MAX_INSERT_ROWS)) {
      await trx('open_amt_component_state').insert(chunk).onConflict(['deployment_id', 'component']).merge();
    }
    for (const { deploymentId, components } of stale) {
      await trx('open_amt_component_state').where('deployment_id', deploymentId).whereIn('component', components).delete();
    }
    for (const chunk of chunks(transitions, MAX_INSERT_ROWS)) await trx('open_amt_transitions').insert(chunk);
    await this.updateDeployments(trx, entries, updates);
    await this.addToBuckets(trx, samples);
    return outcomes;
  }

  /**
   * Sets status, counts and checked_at, and refreshes the catalog fields. Deployments with the same
   * status and counts share one UPDATE (in a sweep that is most of them); checked_at differs per
   * deployment and goes in a CASE of integer literals (numbers this code computed, checked to be integers).
   */
  private async updateDeployments(trx: Knex.Transaction, entries: RecordEntry[], updates: DeploymentUpdate[]) {
    const groups = new Map<string, DeploymentUpdate[]>();
    for (const u of updates) {
      const key = `${u.status}/${u.counts.healthy}/${u.counts.degraded}/${u.counts.down}/${u.counts.unknown}`;
      const group = groups.get(key) ?? [];
      group.push(u);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      for (const chunk of chunks(group, MAX_RECORD_BATCH)) {
        const first = chunk[0];
        const cases = chunk.map(u => `WHEN ${integer(u.id)} THEN ${integer(u.checkedAt)}`).join(' ');
        await trx('open_amt_deployments')
          .whereIn('id', chunk.map(u => u.id))
          .update({
            status: first.status,
            checked_at: trx.raw(`CASE id ${cases} END`),
            count_healthy: first.counts.healthy,
            count_degraded: first.counts.degraded,
            count_down: first.counts.down,
            count_unknown: first.counts.unknown,
          });
      }
    }
    // Catalog fields change rarely (syncDeployments refreshes them every sweep); only rows that differ are written.
    const metaByRef = new Map(entries.map(e => [e.meta.entityRef, metaColumns(e.meta)]));
    const current: (Pick<DeploymentRow, 'entity_ref'> & Record<string, unknown>)[] = await trx('open_amt_deployments')
      .whereIn('entity_ref', [...metaByRef.keys()])
      .select('entity_ref', ...META_COLUMNS);
    for (const row of current) {
      const wanted = metaByRef.get(row.entity_ref)!;
      const differs = META_COLUMNS.some(c => (c === 'simulated' ? Boolean(row[c]) !== wanted.simulated : row[c] !== (wanted as Record<string, unknown>)[c]));
      if (differs) await trx('open_amt_deployments').where('entity_ref', row.entity_ref).update(wanted);
    }
  }

  /** Adds each round to its deployment's current 5-minute bucket (read, merge, write back in one upsert). */
  private async addToBuckets(trx: Knex.Transaction, samples: { deploymentId: number; bucketStart: number; sample: BucketData }[]) {
    const starts = [...new Set(samples.map(s => s.bucketStart))];
    const existing: { deployment_id: number; bucket_start: string | number; data: string }[] = await trx('open_amt_history')
      .whereIn('deployment_id', [...new Set(samples.map(s => s.deploymentId))])
      .whereIn('bucket_start', starts)
      .select('deployment_id', 'bucket_start', 'data');
    const buckets = new Map<string, BucketData>();
    for (const row of existing) buckets.set(`${row.deployment_id}/${Number(row.bucket_start)}`, decodeBucket(row.data));
    const written = new Map<string, { deployment_id: number; bucket_start: number }>();
    for (const { deploymentId, bucketStart, sample } of samples) {
      const key = `${deploymentId}/${bucketStart}`;
      const data = buckets.get(key);
      if (data) mergeBucket(data, sample);
      else buckets.set(key, sample);
      written.set(key, { deployment_id: deploymentId, bucket_start: bucketStart });
    }
    const rows = [...written].map(([key, row]) => ({ ...row, data: encodeBucket(buckets.get(key)!) }));
    for (const chunk of chunks(rows, MAX_INSERT_ROWS)) {
      await trx('open_amt_history').insert(chunk).onConflict(['deployment_id', 'bucket_start']).merge(['data']);
    }
  }

  /** A deployment's latest state; undefined when the store does not track it. */
  async getDeployment(entityRef: string): Promise<DeploymentHealth | undefined> {
    return (await this.current()).get(entityRef)?.health;
  }

  /** getDeployment serialized to JSON once per change, for the REST API. */
  async getDeploymentAnswer(entityRef: string): Promise<SerializedAnswer | undefined> {
    return (await this.current()).entityAnswer(entityRef);
  }

  /** A fleet page; with `visible`, only those deployments are filtered, counted and paged. */
  async listFleet(query: FleetQuery, visible?: ReadonlySet<string>): Promise<FleetPage> {
    return (await this.current()).page(query, visible);
  }

  /**
   * listFleet serialized to JSON, for the REST API: once per change and query when the caller sees every
   * deployment, per request when `visible` restricts it.
   */
  async listFleetAnswer(query: FleetQuery, visible?: ReadonlySet<string>): Promise<SerializedAnswer> {
    return (await this.current()).pageAnswer(query, visible);
  }

  /** The entity refs of every tracked deployment. */
  async listEntityRefs(): Promise<string[]> {
    return (await this.current()).entityRefs();
  }

  /**
   * The snapshot to answer from. Held answers are served while a check for other replicas' writes runs in
   * the background (at most one at a time, every `readCacheMs`), so no read waits on the database except
   * the first one.
   */
  private async current(): Promise<FleetSnapshot> {
    if (this.readCacheMs <= 0) return this.load();
    if (!this.snapshot) return this.loading ?? this.load();
    if (!this.checking && Date.now() - this.checkedAt >= this.readCacheMs) {
      this.checking = this.revalidate().finally(() => {
        this.checking = undefined;
      });
    }
    return this.snapshot;
  }

  /** Reloads when the tables changed since the last load (count, newest row, sum of check times) or after a minute. */
  private async revalidate(): Promise<void> {
    try {
      const fingerprint = await this.readFingerprint();
      this.checkedAt = Date.now();
      if (fingerprint !== this.fingerprint || Date.now() - this.loadedAt >= FULL_RELOAD_MS) await this.load();
    } catch {
      // The database is unreachable: keep answering from what is held; the next read tries again.
      this.checkedAt = Date.now();
    }
  }

  private async readFingerprint(): Promise<string> {
    const [row] = await this.db('open_amt_deployments').select(
      this.db.raw('COUNT(*) AS n'),
      this.db.raw('MAX(id) AS max_id'),
      this.db.raw('SUM(checked_at) AS sum_checked'),
    );
    return `${row.n}/${row.max_id}/${row.sum_checked}`;
  }

  private load(): Promise<FleetSnapshot> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const changes: Array<(snapshot: FleetSnapshot) => void> = [];
    this.changesDuringLoad = changes;
    const loading = (async () => {
      const startedAt = Date.now();
      const fingerprint = await this.readFingerprint();
      const [deployments, components] = await Promise.all([
        this.db('open_amt_deployments').select('*') as Promise<DeploymentRow[]>,
        this.db('open_amt_component_state').select('*') as Promise<ComponentRow[]>,
      ]);
      const byDeployment = new Map<number, ComponentRow[]>();
      for (const row of components) {
        const list = byDeployment.get(row.deployment_id) ?? [];
        list.push(row);
        byDeployment.set(row.deployment_id, list);
      }
      const snapshot = new FleetSnapshot(deployments.map(d => stateOfRow(d, byDeployment.get(d.id) ?? [])));
      // Writes that committed while the rows were read are in them or not: applying them again settles it.
      for (const change of changes) change(snapshot);
      // Invalidated meanwhile (a failed write, a catalog sync): answer this read, but do not keep it.
      if (generation === this.generation) {
        this.snapshot = snapshot;
        this.fingerprint = changes.length ? undefined : fingerprint;
        this.loadedAt = startedAt;
        this.checkedAt = Math.max(this.checkedAt, startedAt);
      }
      return snapshot;
    })();
    this.loading = loading;
    loading
      .finally(() => {
        if (this.loading === loading) {
          this.loading = undefined;
          this.changesDuringLoad = undefined;
        }
      })
      .catch(() => undefined);
    return loading;
  }

  /** Applies this replica's committed change to the snapshot, and to a load that is running. */
  private applyChange(change: (snapshot: FleetSnapshot) => void) {
    if (this.snapshot) {
      change(this.snapshot);
      // The database now differs from the last fingerprint by our own write only; a fresh one is read at the next check.
      this.fingerprint = undefined;
    }
    this.changesDuringLoad?.push(change);
  }

  /** Forgets the snapshot: the next read loads it again. */
  private invalidate() {
    this.generation += 1;
    this.snapshot = undefined;
    this.fingerprint = undefined;
    this.changesDuringLoad = undefined;
    this.loading = undefined;
  }

  async getHistory(entityRef: string, from: Date, to: Date): Promise<DeploymentHistory | undefined> {
    const dep: Pick<DeploymentRow, 'id'> | undefined = await this.db('open_amt_deployments').where('entity_ref', entityRef).first('id');
    if (!dep) return undefined;
    const fromMs = from.getTime();
    const toMs = to.getTime();
    const firstBucket = Math.floor(fromMs / BUCKET_MS) * BUCKET_MS;
    const span = Math.max(1, Math.ceil((toMs - firstBucket) / BUCKET_MS));
    const factor = Math.max(1, Math.ceil(span / MAX_HISTORY_BUCKETS));
    const outMs = BUCKET_MS * factor;

    const [bucketRows, transitionRows] = await Promise.all([
      this.db('open_amt_history')
        .where('deployment_id', dep.id)
        .where('bucket_start', '>=', firstBucket)
        .where('bucket_start', '<', toMs)
        .orderBy('bucket_start', 'asc')
        .select('bucket_start', 'data') as Promise<{ bucket_start: string | number; data: string }[]>,
      this.db('open_amt_transitions')
        .where('deployment_id', dep.id)
        .where('at', '>=', fromMs)
        .where('at', '<=', toMs)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(MAX_TRANSITIONS)
        .select('component', 'from_status', 'to_status', 'at', 'message'),
    ]);

    // Re-aggregate 5-minute rows into `factor`-times longer buckets (sketches merge exactly).
    const merged = new Map<number, BucketData>();
    for (const row of bucketRows) {
      const start = firstBucket + Math.floor((Number(row.bucket_start) - firstBucket) / outMs) * outMs;
      const data = merged.get(start) ?? new Map();
      mergeBucket(data, decodeBucket(row.data));
      merged.set(start, data);
    }
    const buckets: HistoryBucket[] = [];
    for (const [start, data] of merged) {
      for (const [component, b] of data) {
        buckets.push({
          component,
          start: new Date(start).toISOString(),
          bucketSeconds: outMs / 1000,
          samples: b.samples,
          uptime: b.samples > 0 ? b.up / b.samples : 0,
          latencyP50Ms: quantile(b.latency, 0.5),
          latencyP95Ms: quantile(b.latency, 0.95),
        });
      }
    }
    const transitions: StatusTransition[] = (transitionRows as any[]).reverse().map(r => ({
      component: r.component,
      from: r.from_status ?? null,
      to: r.to_status,
      at: new Date(Number(r.at)).toISOString(),
      message: r.message,
    }));
    return { entityRef, from: from.toISOString(), to: to.toISOString(), buckets, transitions };
  }

  /** Deletes history buckets and state changes older than `cutoff`; returns the rows removed. */
  async deleteOlderThan(cutoff: Date): Promise<{ buckets: number; transitions: number }> {
    const cutoffMs = cutoff.getTime();
    const ids: number[] = (await this.db('open_amt_deployments').select('id')).map((r: { id: number }) => r.id);
    let buckets = 0;
    // Per batch of deployments so PostgreSQL walks the (deployment_id, bucket_start) primary key.
    for (const chunk of chunks(ids, 100)) {
      buckets += await this.db('open_amt_history').whereIn('deployment_id', chunk).where('bucket_start', '<', cutoffMs).delete();
    }
    const transitions = await this.db('open_amt_transitions').where('at', '<', cutoffMs).delete();
    return { buckets, transitions };
  }
}

/**
 * Replicas starting together on an empty database race to create knex's own bookkeeping tables (the
 * loser fails with a duplicate-table error before knex's migration lock exists); retrying after the
 * winner finished makes the loser a no-op.
 */
async function migrateWithRetry(client: Knex, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise(resolve => setTimeout(resolve, 200 * attempt + Math.random() * 200));
    }
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function emptyCounts(): Record<HealthStatus, number> {
  return Object.fromEntries(HEALTH_STATUSES.map(s => [s, 0])) as Record<HealthStatus, number>;
}

function countStatuses(components: Pick<ComponentHealth, 'status'>[]): Record<HealthStatus, number> {
  const counts = emptyCounts();
  for (const c of components) counts[c.status] += 1;
  return counts;
}

interface TransitionRow {
  deployment_id: number;
  component: ComponentId | 'deployment';
  from_status: HealthStatus | null;
  to_status: HealthStatus;
  at: number;
  message: string;
}

interface DeploymentUpdate {
  id: number;
  status: HealthStatus;
  checkedAt: number;
  counts: Record<HealthStatus, number>;
}

/** A number for SQL text; throws on anything that is not a safe integer. */
function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/** One round as a history sample: up when healthy or degraded; latency only when the component answered. */
function bucketSample(components: ComponentHealth[]): BucketData {
  const sample: BucketData = new Map();
  for (const c of components) {
    const latency = new Map<number, number>();
    if (c.latencyMs !== undefined && c.status !== 'down' && c.status !== 'unknown') addSample(latency, c.latencyMs);
    sample.set(c.component, { samples: 1, up: c.status === 'healthy' || c.status === 'degraded' ? 1 : 0, latency });
  }
  return sample;
}

const COMPONENT_ORDER = new Map(COMPONENT_IDS.map((c, i) => [c, i]));

/** The API's view of a deployment, from its rows as stored (the same whether just written or loaded). */
function stateOfRow(dep: DeploymentRow, rows: ComponentRow[]): DeploymentState {
  const summary = toSummary(dep);
  const health: DeploymentHealth = {
    entityRef: dep.entity_ref,
    name: dep.name,
    title: orUndefined(dep.title),
    owner: orUndefined(dep.owner),
    target: orUndefined(dep.target),
    status: dep.status,
    checkedAt: iso(dep.checked_at),
    simulated: Boolean(dep.simulated),
    components: [...rows]
      .sort((a, b) => (COMPONENT_ORDER.get(a.component) ?? 99) - (COMPONENT_ORDER.get(b.component) ?? 99))
      .map(r => ({
        component: r.component,
        provider: r.provider as ComponentHealth['provider'],
        supportLevel: r.support_level as ComponentHealth['supportLevel'],
        status: r.status,
        latencyMs: orUndefined(r.latency_ms),
        checkedAt: iso(r.checked_at)!,
        message: r.message,
        details: r.details ? JSON.parse(r.details) : undefined,
      })),
  };
  return { id: dep.id, summary, health, checkedAtMs: dep.checked_at === null ? null : Number(dep.checked_at) };
}

function stateOf(
  id: number,
  meta: DeploymentMeta,
  status: HealthStatus,
  checkedAt: number,
  counts: Record<HealthStatus, number>,
  rows: ComponentRow[],
): DeploymentState {
  return stateOfRow(
    {
      id,
      entity_ref: meta.entityRef,
      ...metaColumns(meta),
      status,
      checked_at: checkedAt,
      count_healthy: counts.healthy,
      count_degraded: counts.degraded,
      count_down: counts.down,
      count_unknown: counts.unknown,
    },
    rows,
  );
}

function toSummary(r: DeploymentRow): DeploymentSummary {
  return {
    entityRef: r.entity_ref,
    name: r.name,
    title: orUndefined(r.title),
    owner: orUndefined(r.owner),
    target: orUndefined(r.target),
    status: r.status,
    checkedAt: iso(r.checked_at),
    simulated: Boolean(r.simulated),
    providers: {
      database: orUndefined(r.database_provider),
      secrets: orUndefined(r.secrets_provider),
      gateway: orUndefined(r.gateway_provider),
    },
    componentCounts: {
      healthy: Number(r.count_healthy),
      degraded: Number(r.count_degraded),
      down: Number(r.count_down),
      unknown: Number(r.count_unknown),
    },
  };
}

/** The deployment table's catalog-derived columns, shared by inserts, updates and the in-memory snapshot. */
function metaColumns(meta: DeploymentMeta) {
  return {
    namespace: meta.namespace,
    name: meta.name,
    title: meta.title ?? null,
    owner: meta.owner ?? null,
    target: meta.target ?? null,
    database_provider: meta.providers.database ?? null,
    secrets_provider: meta.providers.secrets ?? null,
    gateway_provider: meta.providers.gateway ?? null,
    simulated: meta.simulated,
  };
}
