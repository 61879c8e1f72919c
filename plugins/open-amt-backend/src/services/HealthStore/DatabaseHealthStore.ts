import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ComponentHealth,
  DeploymentHealth,
  DeploymentHistory,
  FleetPage,
  FleetQuery,
} from '@open-amt-backstage/plugin-open-amt-common';
import { Knex } from 'knex';
import { chunks, MAX_RECORD_BATCH } from './batching';
import { FleetSnapshot, SerializedAnswer } from './fleetSnapshot';
import { FleetSnapshotCache } from './FleetSnapshotCache';
import {
  DeploymentMeta,
  HealthStore,
  RecordEntry,
  RecordOutcome,
} from './HealthStore';
import {
  aggregateBuckets,
  historyWindow,
  MAX_TRANSITIONS,
  toTransitions,
} from './history';
import { migrateWithRetry } from './migrate';
import {
  ComponentRow,
  DeploymentRow,
  groupByDeployment,
  META_COLUMNS,
  metaColumns,
  stateOfRow,
} from './rows';
import { metaDiffers, writeRounds } from './writeRounds';

/**
 * The health store on coreServices.database (knex; SQLite and PostgreSQL).
 *
 * Writes are batched: a sweep records its deployments a batch at a time, each batch one transaction of a
 * handful of statements (writeRounds). Reads of latest state come from the in-memory FleetSnapshotCache,
 * which this store keeps in step with its own commits. History is always read from the database.
 */
export class DatabaseHealthStore implements HealthStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    readCacheMs?: number;
  }): Promise<DatabaseHealthStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateWithRetry(client);
    }
    return new DatabaseHealthStore(client, options.readCacheMs);
  }

  /** Only PostgreSQL takes row locks; SQLite serialises writers itself. */
  private readonly lockRows: boolean;
  private readonly cache: FleetSnapshotCache;

  /** `readCacheMs`: how often the snapshot is checked against the database (default 2 s; 0 = read the database every time). */
  constructor(private readonly db: Knex, readCacheMs = 2000) {
    this.lockRows = String(db.client.config.client).includes('pg');
    this.cache = new FleetSnapshotCache(
      {
        readFingerprint: () => this.readFingerprint(),
        readSnapshot: () => this.readSnapshot(),
      },
      readCacheMs,
    );
  }

  /**
   * Inserts new deployments, refreshes catalog fields that changed and removes deployments that left the
   * catalog. A sweep calls this every interval with a catalog that rarely changed: unchanged rows are not
   * written, and the in-memory snapshot is kept unless something was.
   */
  async syncDeployments(
    metas: DeploymentMeta[],
  ): Promise<{ removed: string[] }> {
    const wanted = new Set(metas.map(m => m.entityRef));
    const existing: (Pick<DeploymentRow, 'id' | 'entity_ref'> &
      Record<string, unknown>)[] = await this.db('open_amt_deployments').select(
      'id',
      'entity_ref',
      ...META_COLUMNS,
    );
    const byRef = new Map(existing.map(r => [r.entity_ref, r]));
    const changed = metas.filter(m => {
      const row = byRef.get(m.entityRef);
      return !row || metaDiffers(row, metaColumns(m));
    });
    const removedRows = existing.filter(r => !wanted.has(r.entity_ref));
    if (changed.length === 0 && removedRows.length === 0)
      return { removed: [] };
    try {
      for (const chunk of chunks(changed, 200)) {
        await this.db('open_amt_deployments')
          .insert(
            chunk.map(m => ({ entity_ref: m.entityRef, ...metaColumns(m) })),
          )
          .onConflict('entity_ref')
          .merge(META_COLUMNS);
      }
      for (const chunk of chunks(
        removedRows.map(r => r.id),
        200,
      )) {
        await this.db.transaction(async trx => {
          for (const table of [
            'open_amt_history',
            'open_amt_transitions',
            'open_amt_component_state',
          ]) {
            await trx(table).whereIn('deployment_id', chunk).delete();
          }
          await trx('open_amt_deployments').whereIn('id', chunk).delete();
        });
      }
      for (const chunk of chunks(
        removedRows.map(r => r.entity_ref),
        200,
      )) {
        await this.db('open_amt_notices').whereIn('entity_ref', chunk).delete();
      }
    } finally {
      // New rows have ids only the database knows, and a failure may have left part of the work done.
      this.cache.invalidate();
    }
    return { removed: removedRows.map(r => r.entity_ref) };
  }

  async record(
    meta: DeploymentMeta,
    components: ComponentHealth[],
    now: Date = new Date(),
  ): Promise<RecordOutcome> {
    const [outcome] = await this.recordMany([{ meta, components, now }]);
    return outcome;
  }

  /** One transaction per batch of up to 200 deployments; all or nothing per batch. */
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
    try {
      const { outcomes, states } = await this.db.transaction(trx =>
        writeRounds(trx, entries, { lockRows: this.lockRows }),
      );
      // Built only when there is a snapshot (or a load) to apply them to.
      this.cache.applyChange(snapshot =>
        states().forEach(state => snapshot.put(state)),
      );
      return outcomes;
    } catch (error) {
      // Whatever the database holds now, the snapshot must not claim more: reload on the next read.
      this.cache.invalidate();
      throw error;
    }
  }

  async getDeployment(
    entityRef: string,
  ): Promise<DeploymentHealth | undefined> {
    return (await this.cache.current()).get(entityRef)?.health;
  }

  async catchUp(): Promise<void> {
    await this.cache.catchUp();
  }

  async getDeploymentAnswer(
    entityRef: string,
  ): Promise<SerializedAnswer | undefined> {
    return (await this.cache.current()).entityAnswer(entityRef);
  }

  async listFleet(
    query: FleetQuery,
    visible?: ReadonlySet<string>,
  ): Promise<FleetPage> {
    return (await this.cache.current()).page(query, visible);
  }

  /** Serialized once per change and query when the caller sees every deployment, per request when `visible` restricts it. */
  async listFleetAnswer(
    query: FleetQuery,
    visible?: ReadonlySet<string>,
  ): Promise<SerializedAnswer> {
    return (await this.cache.current()).pageAnswer(query, visible);
  }

  async listEntityRefs(): Promise<string[]> {
    return (await this.cache.current()).entityRefs();
  }

  /** Count, newest row and sum of check times: changes whenever a replica adds, removes or records a deployment. */
  private async readFingerprint(): Promise<string> {
    const [row] = await this.db('open_amt_deployments').select(
      this.db.raw('COUNT(*) AS n'),
      this.db.raw('MAX(id) AS max_id'),
      this.db.raw('SUM(checked_at) AS sum_checked'),
    );
    return `${row.n}/${row.max_id}/${row.sum_checked}`;
  }

  private async readSnapshot(): Promise<FleetSnapshot> {
    const [deployments, components] = await Promise.all([
      this.db('open_amt_deployments').select('*') as Promise<DeploymentRow[]>,
      this.db('open_amt_component_state').select('*') as Promise<
        ComponentRow[]
      >,
    ]);
    const byDeployment = groupByDeployment(components);
    return new FleetSnapshot(
      deployments.map(d => stateOfRow(d, byDeployment.get(d.id) ?? [])),
    );
  }

  async getHistory(
    entityRef: string,
    from: Date,
    to: Date,
  ): Promise<DeploymentHistory | undefined> {
    const dep: Pick<DeploymentRow, 'id'> | undefined = await this.db(
      'open_amt_deployments',
    )
      .where('entity_ref', entityRef)
      .first('id');
    if (!dep) return undefined;
    const window = historyWindow(from, to);
    const [bucketRows, transitionRows] = await Promise.all([
      this.db('open_amt_history')
        .where('deployment_id', dep.id)
        .where('bucket_start', '>=', window.firstBucket)
        .where('bucket_start', '<', window.toMs)
        .orderBy('bucket_start', 'asc')
        .select('bucket_start', 'data'),
      this.db('open_amt_transitions')
        .where('deployment_id', dep.id)
        .where('at', '>=', from.getTime())
        .where('at', '<=', window.toMs)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(MAX_TRANSITIONS)
        .select('component', 'from_status', 'to_status', 'at', 'message'),
    ]);
    return {
      entityRef,
      from: from.toISOString(),
      to: to.toISOString(),
      buckets: aggregateBuckets(bucketRows, window),
      transitions: toTransitions(transitionRows),
    };
  }

  async deleteOlderThan(
    cutoff: Date,
  ): Promise<{ buckets: number; transitions: number }> {
    const cutoffMs = cutoff.getTime();
    const ids: number[] = (
      await this.db('open_amt_deployments').select('id')
    ).map((r: { id: number }) => r.id);
    let buckets = 0;
    // Per batch of deployments so PostgreSQL walks the (deployment_id, bucket_start) primary key.
    for (const chunk of chunks(ids, 100)) {
      buckets += await this.db('open_amt_history')
        .whereIn('deployment_id', chunk)
        .where('bucket_start', '<', cutoffMs)
        .delete();
    }
    const transitions = await this.db('open_amt_transitions')
      .where('at', '<', cutoffMs)
      .delete();
    return { buckets, transitions };
  }

  async claimNotice(
    entityRef: string,
    key: string,
    now: Date = new Date(),
  ): Promise<boolean> {
    // Both databases return only the rows the statement inserted: none when the key was there.
    const inserted = await this.db('open_amt_notices')
      .insert({
        entity_ref: entityRef,
        notice_key: key,
        sent_at: now.getTime(),
      })
      .onConflict(['entity_ref', 'notice_key'])
      .ignore()
      .returning('notice_key');
    return inserted.length > 0;
  }

  async deleteNoticesOlderThan(cutoff: Date): Promise<number> {
    return this.db('open_amt_notices')
      .where('sent_at', '<', cutoff.getTime())
      .delete();
  }
}
