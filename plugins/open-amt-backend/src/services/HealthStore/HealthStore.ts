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
import { ReadCache } from './readCache';

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

/** Severity order for sorting the fleet by status: the worst first when ascending. */
const STATUS_RANK_SQL = `CASE status WHEN 'down' THEN 0 WHEN 'degraded' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END`;

/**
 * The health engine's store (coreServices.database, knex, SQLite and PostgreSQL): latest state per
 * deployment and component, the state-change log, and downsampled history buckets.
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
  private readonly cache: ReadCache;

  /** `readCacheMs`: how long fleet pages and deployment states are reused (default 2 s; 0 = off). */
  constructor(
    private readonly db: Knex,
    readCacheMs = 2000,
  ) {
    this.isPostgres = String(db.client.config.client).includes('pg');
    this.cache = new ReadCache(readCacheMs);
  }

  private metaColumns(meta: DeploymentMeta) {
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

  /**
   * Makes the deployment list match the catalog: inserts new deployments (status unknown until probed),
   * refreshes names and owners, and deletes deployments no longer in the catalog with their history.
   */
  async syncDeployments(metas: DeploymentMeta[]): Promise<{ removed: string[] }> {
    this.cache.clear();
    const wanted = new Map(metas.map(m => [m.entityRef, m]));
    const existing: Pick<DeploymentRow, 'id' | 'entity_ref'>[] = await this.db('open_amt_deployments').select('id', 'entity_ref');
    const removedRows = existing.filter(r => !wanted.has(r.entity_ref));
    for (const chunk of chunks(metas, 200)) {
      await this.db('open_amt_deployments')
        .insert(chunk.map(m => ({ entity_ref: m.entityRef, ...this.metaColumns(m) })))
        .onConflict('entity_ref')
        .merge(['namespace', 'name', 'title', 'owner', 'target', 'database_provider', 'secrets_provider', 'gateway_provider', 'simulated']);
    }
    for (const chunk of chunks(removedRows.map(r => r.id), 200)) {
      await this.db.transaction(async trx => {
        for (const table of ['open_amt_history', 'open_amt_transitions', 'open_amt_component_state']) {
          await trx(table).whereIn('deployment_id', chunk).delete();
        }
        await trx('open_amt_deployments').whereIn('id', chunk).delete();
      });
    }
    return { removed: removedRows.map(r => r.entity_ref) };
  }

  /**
   * Records one probe round of a deployment: latest component state, state changes (component and
   * deployment level) and the current history bucket, in one transaction.
   */
  async record(meta: DeploymentMeta, components: ComponentHealth[], now: Date = new Date()): Promise<RecordOutcome> {
    try {
      return await this.recordInTransaction(meta, components, now);
    } finally {
      // After commit, so no read that started during the transaction keeps the old state.
      this.cache.delete(`deployment:${meta.entityRef}`);
      this.cache.deleteByPrefix('fleet:');
    }
  }

  private async recordInTransaction(meta: DeploymentMeta, components: ComponentHealth[], now: Date): Promise<RecordOutcome> {
    const nowMs = now.getTime();
    const status = deriveDeploymentStatus(components);
    return this.db.transaction(async trx => {
      await trx('open_amt_deployments')
        .insert({ entity_ref: meta.entityRef, ...this.metaColumns(meta) })
        .onConflict('entity_ref')
        .merge(['namespace', 'name', 'title', 'owner', 'target', 'database_provider', 'secrets_provider', 'gateway_provider', 'simulated']);
      let query = trx<DeploymentRow>('open_amt_deployments').where('entity_ref', meta.entityRef).first('id', 'status', 'checked_at');
      if (this.isPostgres) query = query.forUpdate();
      const dep = (await query)!;
      const previousStatus: HealthStatus | null = dep.checked_at === null ? null : dep.status;

      const previous: ComponentRow[] = await trx('open_amt_component_state').where('deployment_id', dep.id);
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
      if (rows.length > 0) {
        await trx('open_amt_component_state')
          .insert(rows)
          .onConflict(['deployment_id', 'component'])
          .merge();
      }
      const stale = previous.filter(p => !components.some(c => c.component === p.component)).map(p => p.component);
      if (stale.length > 0) {
        await trx('open_amt_component_state').where('deployment_id', dep.id).whereIn('component', stale).delete();
      }

      const transitions = changed.map(c => ({
        deployment_id: dep.id,
        component: c.component,
        from_status: c.from,
        to_status: c.to,
        at: nowMs,
        message: c.message,
      }));
      if (previousStatus !== status) {
        transitions.push({
          deployment_id: dep.id,
          component: 'deployment' as ComponentId,
          from_status: previousStatus,
          to_status: status,
          at: nowMs,
          message: `Deployment is ${status}`,
        });
      }
      if (transitions.length > 0) await trx('open_amt_transitions').insert(transitions);

      const counts = countStatuses(components);
      await trx('open_amt_deployments').where('id', dep.id).update({
        status,
        checked_at: nowMs,
        count_healthy: counts.healthy,
        count_degraded: counts.degraded,
        count_down: counts.down,
        count_unknown: counts.unknown,
      });

      await this.addToBucket(trx, dep.id, nowMs, components);
      return { entityRef: meta.entityRef, previousStatus, status, changed };
    });
  }

  private async addToBucket(trx: Knex.Transaction, deploymentId: number, nowMs: number, components: ComponentHealth[]) {
    const bucketStart = Math.floor(nowMs / BUCKET_MS) * BUCKET_MS;
    const sample: BucketData = new Map();
    for (const c of components) {
      const latency = new Map<number, number>();
      // Latency only says something when the component answered.
      if (c.latencyMs !== undefined && c.status !== 'down' && c.status !== 'unknown') addSample(latency, c.latencyMs);
      sample.set(c.component, { samples: 1, up: c.status === 'healthy' || c.status === 'degraded' ? 1 : 0, latency });
    }
    const existing = await trx('open_amt_history')
      .where({ deployment_id: deploymentId, bucket_start: bucketStart })
      .first('data');
    if (existing) {
      const data = decodeBucket(existing.data);
      mergeBucket(data, sample);
      await trx('open_amt_history')
        .where({ deployment_id: deploymentId, bucket_start: bucketStart })
        .update({ data: encodeBucket(data) });
    } else {
      await trx('open_amt_history').insert({ deployment_id: deploymentId, bucket_start: bucketStart, data: encodeBucket(sample) });
    }
  }

  getDeployment(entityRef: string): Promise<DeploymentHealth | undefined> {
    return this.cache.get(`deployment:${entityRef}`, () => this.loadDeployment(entityRef));
  }

  private async loadDeployment(entityRef: string): Promise<DeploymentHealth | undefined> {
    const dep: DeploymentRow | undefined = await this.db('open_amt_deployments').where('entity_ref', entityRef).first();
    if (!dep) return undefined;
    const rows: ComponentRow[] = await this.db('open_amt_component_state').where('deployment_id', dep.id);
    const order = (c: ComponentId) => COMPONENT_IDS.indexOf(c);
    return {
      entityRef: dep.entity_ref,
      name: dep.name,
      title: orUndefined(dep.title),
      owner: orUndefined(dep.owner),
      target: orUndefined(dep.target),
      status: dep.status,
      checkedAt: iso(dep.checked_at),
      simulated: Boolean(dep.simulated),
      components: rows
        .sort((a, b) => order(a.component) - order(b.component))
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
  }

  listFleet(query: FleetQuery): Promise<FleetPage> {
    const key = JSON.stringify([query.status, query.provider, query.owner, query.target, query.q, query.sort, query.order, query.page, query.pageSize]);
    return this.cache.get(`fleet:${key}`, () => this.loadFleet(query));
  }

  private async loadFleet(query: FleetQuery): Promise<FleetPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const filtered = () => {
      const q = this.db('open_amt_deployments');
      if (query.status?.length) q.whereIn('status', query.status);
      if (query.owner?.length) q.whereIn('owner', query.owner);
      if (query.target?.length) q.whereIn('target', query.target);
      if (query.provider?.length) {
        const providers = query.provider;
        q.where(w =>
          w.whereIn('database_provider', providers).orWhereIn('secrets_provider', providers).orWhereIn('gateway_provider', providers),
        );
      }
      if (query.q) {
        const like = `%${query.q.toLocaleLowerCase('en-US').replace(/[\\%_]/g, m => `\\${m}`)}%`;
        q.where(w =>
          w.whereRaw(`LOWER(name) LIKE ? ESCAPE '\\'`, [like]).orWhereRaw(`LOWER(COALESCE(title, '')) LIKE ? ESCAPE '\\'`, [like]),
        );
      }
      return q;
    };

    const order = query.order ?? 'asc';
    const itemsQuery = filtered().select('*');
    switch (query.sort ?? 'name') {
      case 'status':
        itemsQuery.orderByRaw(`${STATUS_RANK_SQL} ${order}`);
        break;
      case 'owner':
        itemsQuery.orderBy('owner', order);
        break;
      case 'checkedAt':
        itemsQuery.orderBy('checked_at', order);
        break;
      default:
        break;
    }
    itemsQuery.orderBy('name', order).orderBy('id', 'asc').limit(pageSize).offset((page - 1) * pageSize);

    const [rows, grouped] = await Promise.all([
      itemsQuery as Promise<DeploymentRow[]>,
      filtered().select('status').count({ n: '*' }).groupBy('status') as unknown as Promise<{ status: HealthStatus; n: string | number }[]>,
    ]);
    const counts = emptyCounts();
    let totalCount = 0;
    for (const g of grouped) {
      if (g.status in counts) counts[g.status] += Number(g.n);
      totalCount += Number(g.n);
    }
    return { items: rows.map(toSummary), totalCount, counts, page, pageSize };
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
