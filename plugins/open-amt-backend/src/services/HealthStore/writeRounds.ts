import {
  ComponentId,
  deriveDeploymentStatus,
  HealthStatus,
} from '@open-amt-backstage/plugin-open-amt-common';
import { Knex } from 'knex';
import {
  chunks,
  integer,
  MAX_INSERT_ROWS,
  MAX_RECORD_BATCH,
  MAX_UPSERT_ROWS,
} from './batching';
import {
  BucketData,
  decodeBucket,
  encodeBucket,
  mergeBucket,
} from './bucketCodec';
import type { DeploymentState } from './fleetSnapshot';
import type { RecordEntry, RecordOutcome } from './HealthStore';
import { bucketSample, bucketStartOf } from './history';
import {
  ComponentRow,
  countStatuses,
  DeploymentRow,
  META_COLUMNS,
  metaColumns,
  stateOf,
  TransitionRow,
} from './rows';

interface DeploymentUpdate {
  id: number;
  status: HealthStatus;
  checkedAt: number;
  counts: Record<HealthStatus, number>;
}

interface BucketSample {
  deploymentId: number;
  bucketStart: number;
  sample: BucketData;
}

/**
 * Writes a batch of probe rounds (each deployment at most once) in the caller's transaction, a handful of
 * statements for the whole batch: latest component state, state changes (component and deployment level),
 * status and counts, and the current history bucket. Returns the outcomes in entry order and the state each
 * deployment is left in, for the in-memory snapshot once the transaction commits: built on first call only,
 * since a store whose snapshot nobody has read yet (or that was dropped) has nothing to apply it to.
 */
export async function writeRounds(
  trx: Knex.Transaction,
  entries: RecordEntry[],
  options: { lockRows: boolean },
): Promise<{ outcomes: RecordOutcome[]; states: () => DeploymentState[] }> {
  const deploymentByRef = await lockDeployments(trx, entries, options.lockRows);
  const previousById = await previousStates(
    trx,
    [...deploymentByRef.values()].map(d => d.id),
  );

  const componentRows: ComponentRow[] = [];
  const stale: { deploymentId: number; components: ComponentId[] }[] = [];
  const transitions: TransitionRow[] = [];
  const updates: DeploymentUpdate[] = [];
  const samples: BucketSample[] = [];
  const stateInputs: Parameters<typeof stateOf>[] = [];
  const outcomes = entries.map(({ meta, components, now }) => {
    const nowMs = (now ?? new Date()).getTime();
    const dep = deploymentByRef.get(meta.entityRef)!;
    const status = deriveDeploymentStatus(components);
    const previousStatus: HealthStatus | null =
      dep.checked_at === null ? null : dep.status;
    const previous = previousById.get(dep.id) ?? [];
    const previousByComponent = new Map(previous.map(r => [r.component, r]));
    const changed: RecordOutcome['changed'] = [];
    const rows = components.map(c => {
      const before = previousByComponent.get(c.component);
      const statusChanged = !before || before.status !== c.status;
      if (statusChanged)
        changed.push({
          component: c.component,
          from: before?.status ?? null,
          to: c.status,
          message: c.message,
        });
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
    const gone = previous
      .filter(p => !components.some(c => c.component === p.component))
      .map(p => p.component);
    if (gone.length > 0) stale.push({ deploymentId: dep.id, components: gone });

    for (const c of changed) {
      transitions.push({
        deployment_id: dep.id,
        component: c.component,
        from_status: c.from,
        to_status: c.to,
        at: nowMs,
        message: c.message,
      });
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
    samples.push({
      deploymentId: dep.id,
      bucketStart: bucketStartOf(nowMs),
      sample: bucketSample(components),
    });
    stateInputs.push([dep.id, meta, status, nowMs, counts, rows, components]);
    return { entityRef: meta.entityRef, previousStatus, status, changed };
  });

  await upsertComponentRows(trx, componentRows);
  for (const { deploymentId, components } of stale) {
    await trx('open_amt_component_state')
      .where('deployment_id', deploymentId)
      .whereIn('component', components)
      .delete();
  }
  for (const chunk of chunks(transitions, MAX_INSERT_ROWS))
    await trx('open_amt_transitions').insert(chunk);
  await updateDeployments(trx, entries, updates);
  await addToBuckets(trx, samples);
  let states: DeploymentState[] | undefined;
  return {
    outcomes,
    states: () => (states ??= stateInputs.map(input => stateOf(...input))),
  };
}

/** True when a stored row's catalog fields differ from the wanted ones (SQLite stores booleans as 0/1). */
export function metaDiffers(
  row: Record<string, unknown>,
  wanted: ReturnType<typeof metaColumns>,
): boolean {
  return META_COLUMNS.some(c =>
    c === 'simulated'
      ? Boolean(row[c]) !== wanted.simulated
      : row[c] !== (wanted as Record<string, unknown>)[c],
  );
}

type PreviousState = Pick<
  ComponentRow,
  'deployment_id' | 'component' | 'status' | 'since'
>;

/**
 * What each deployment's components were, to compare a round with: the stored message and details (most of a
 * row's bytes) are not read.
 */
async function previousStates(
  trx: Knex.Transaction,
  deploymentIds: number[],
): Promise<Map<number, PreviousState[]>> {
  const rows: PreviousState[] = await trx('open_amt_component_state')
    .whereIn('deployment_id', deploymentIds)
    .select('deployment_id', 'component', 'status', 'since');
  const byDeployment = new Map<number, PreviousState[]>();
  for (const row of rows) {
    const list = byDeployment.get(row.deployment_id);
    if (list) list.push(row);
    else byDeployment.set(row.deployment_id, [row]);
  }
  return byDeployment;
}

const COMPONENT_COLUMNS = [
  'deployment_id',
  'component',
  'provider',
  'support_level',
  'status',
  'latency_ms',
  'checked_at',
  'since',
  'message',
  'details',
] as const;
const COMPONENT_ROW_SQL = `(${COMPONENT_COLUMNS.map(() => '?').join(', ')})`;
const COMPONENT_UPSERT_TAIL = ` on conflict (deployment_id, component) do update set ${COMPONENT_COLUMNS.slice(
  2,
)
  .map(c => `${c} = excluded.${c}`)
  .join(', ')}`;

/**
 * The latest component states, as one multi-row VALUES upsert per chunk (SQLite and PostgreSQL share the syntax).
 * knex writes a SQLite multi-row insert as a compound SELECT, limited to 500 terms and several times slower for
 * SQLite to prepare: a sweep writes every component of every deployment.
 */
async function upsertComponentRows(
  trx: Knex.Transaction,
  rows: ComponentRow[],
): Promise<void> {
  for (const chunk of chunks(rows, MAX_UPSERT_ROWS)) {
    const values: unknown[] = [];
    for (const row of chunk)
      for (const column of COMPONENT_COLUMNS) values.push(row[column]);
    await trx.raw(
      `insert into open_amt_component_state (${COMPONENT_COLUMNS.join(
        ', ',
      )}) values ${new Array(chunk.length)
        .fill(COMPONENT_ROW_SQL)
        .join(', ')}${COMPONENT_UPSERT_TAIL}`,
      values as Knex.RawBinding[],
    );
  }
}

type LockedDeployment = Pick<
  DeploymentRow,
  'id' | 'entity_ref' | 'status' | 'checked_at'
>;

/** The batch's deployment rows (inserted when new), locked on PostgreSQL until the transaction ends. */
async function lockDeployments(
  trx: Knex.Transaction,
  entries: RecordEntry[],
  lockRows: boolean,
): Promise<Map<string, LockedDeployment>> {
  // Rows are locked in entity_ref order, so two batches (or a batch and a refresh) never wait on each other in a cycle.
  const refs = entries.map(e => e.meta.entityRef).sort();
  const select = async (): Promise<LockedDeployment[]> => {
    let query = trx('open_amt_deployments')
      .whereIn('entity_ref', refs)
      .orderBy('entity_ref')
      .select('id', 'entity_ref', 'status', 'checked_at');
    if (lockRows) query = query.forUpdate();
    return query;
  };
  let deployments = await select();
  if (deployments.length < refs.length) {
    const known = new Set(deployments.map(d => d.entity_ref));
    const missing = entries
      .filter(e => !known.has(e.meta.entityRef))
      .sort((a, b) => (a.meta.entityRef < b.meta.entityRef ? -1 : 1));
    await trx('open_amt_deployments')
      .insert(
        missing.map(e => ({
          entity_ref: e.meta.entityRef,
          ...metaColumns(e.meta),
        })),
      )
      .onConflict('entity_ref')
      .ignore();
    deployments = await select();
  }
  return new Map(deployments.map(d => [d.entity_ref, d]));
}

/**
 * Sets status, counts and checked_at, and refreshes the catalog fields. Deployments with the same
 * status and counts share one UPDATE (in a sweep that is most of them); checked_at differs per
 * deployment and goes in a CASE of integer literals (numbers this code computed, checked to be integers).
 */
async function updateDeployments(
  trx: Knex.Transaction,
  entries: RecordEntry[],
  updates: DeploymentUpdate[],
) {
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
      const cases = chunk
        .map(u => `WHEN ${integer(u.id)} THEN ${integer(u.checkedAt)}`)
        .join(' ');
      await trx('open_amt_deployments')
        .whereIn(
          'id',
          chunk.map(u => u.id),
        )
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
  const metaByRef = new Map(
    entries.map(e => [e.meta.entityRef, metaColumns(e.meta)]),
  );
  const current: (Pick<DeploymentRow, 'entity_ref'> &
    Record<string, unknown>)[] = await trx('open_amt_deployments')
    .whereIn('entity_ref', [...metaByRef.keys()])
    .select('entity_ref', ...META_COLUMNS);
  for (const row of current) {
    const wanted = metaByRef.get(row.entity_ref)!;
    if (metaDiffers(row, wanted))
      await trx('open_amt_deployments')
        .where('entity_ref', row.entity_ref)
        .update(wanted);
  }
}

/** Adds each round to its deployment's current 5-minute bucket (read, merge, write back in one upsert). */
async function addToBuckets(trx: Knex.Transaction, samples: BucketSample[]) {
  const starts = [...new Set(samples.map(s => s.bucketStart))];
  const existing: {
    deployment_id: number;
    bucket_start: string | number;
    data: string;
  }[] = await trx('open_amt_history')
    .whereIn('deployment_id', [...new Set(samples.map(s => s.deploymentId))])
    .whereIn('bucket_start', starts)
    .select('deployment_id', 'bucket_start', 'data');
  const buckets = new Map<string, BucketData>();
  for (const row of existing)
    buckets.set(
      `${row.deployment_id}/${Number(row.bucket_start)}`,
      decodeBucket(row.data),
    );
  const written = new Map<
    string,
    { deployment_id: number; bucket_start: number }
  >();
  for (const { deploymentId, bucketStart, sample } of samples) {
    const key = `${deploymentId}/${bucketStart}`;
    const data = buckets.get(key);
    if (data) mergeBucket(data, sample);
    else buckets.set(key, sample);
    written.set(key, {
      deployment_id: deploymentId,
      bucket_start: bucketStart,
    });
  }
  const rows = [...written].map(([key, row]) => ({
    ...row,
    data: encodeBucket(buckets.get(key)!),
  }));
  for (const chunk of chunks(rows, MAX_INSERT_ROWS)) {
    await trx('open_amt_history')
      .insert(chunk)
      .onConflict(['deployment_id', 'bucket_start'])
      .merge(['data']);
  }
}
