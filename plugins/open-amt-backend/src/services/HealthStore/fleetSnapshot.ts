import { createHash } from 'node:crypto';
import {
  DeploymentHealth,
  DeploymentSummary,
  FleetPage,
  DeploymentDriftSummary,
  FLEET_ATTENTION_FILTERS,
  FLEET_DRIFT_FILTERS,
  FleetAttentionFilter,
  FleetDriftFilter,
  FleetQuery,
  FleetSortField,
  HEALTH_STATUSES,
  HealthStatus,
} from '@open-amt-backstage/plugin-open-amt-common';

/** One deployment as the API serves it: its fleet row and its full state, both from the store's tables. */
export interface DeploymentState {
  id: number;
  summary: DeploymentSummary;
  health: DeploymentHealth;
  /** When the deployment was last recorded (epoch ms), to tell newer state from older. */
  checkedAtMs: number | null;
}

/** A JSON answer serialized once and reused until the state behind it changes. */
export interface SerializedAnswer {
  body: Buffer;
  /** body.length as the header value, formatted once. */
  contentLength: string;
  etag: string;
}

const STATUS_RANK: Record<HealthStatus, number> = {
  down: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};
const MAX_CACHED_PAGES = 1000;

/** Whether a deployment's drift matches one fleet drift filter. */
const DRIFT_MATCH: Record<
  FleetDriftFilter,
  (drift: DeploymentDriftSummary) => boolean
> = {
  behind: d => d.behind,
  drifted: d => d.driftedCount > 0,
};

/** Whether a deployment matches one fleet attention filter. */
const ATTENTION_MATCH: Record<
  FleetAttentionFilter,
  (summary: DeploymentSummary) => boolean
> = {
  'certificates-expiring': s => s.certificates?.expiring === true,
  'devices-dropped': s => s.devices?.dropped === true,
};

export function serialize(value: unknown): SerializedAnswer {
  const body = Buffer.from(JSON.stringify(value));
  // Weak validator over the bytes, like Express's default ETag, computed once per answer instead of per request.
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return {
    body,
    contentLength: String(body.length),
    etag: `W/"${body.length.toString(16)}-${hash}"`,
  };
}

/** Cache key of a fleet query; remembered per query object (the router reuses parsed queries). */
const pageKeys = new WeakMap<FleetQuery, string>();
function pageKey(query: FleetQuery): string {
  let key = pageKeys.get(query);
  if (key === undefined) {
    key = JSON.stringify([
      query.status,
      query.provider,
      query.owner,
      query.target,
      query.drift,
      query.attention,
      query.q,
      query.sort,
      query.order,
      query.page,
      query.pageSize,
    ]);
    pageKeys.set(query, key);
  }
  return key;
}

/** Code-point order (SQLite's and PostgreSQL's "C" collation); nulls last ascending, first descending. */
function compareNullable(
  a: string | number | undefined | null,
  b: string | number | undefined | null,
): number {
  const aNull = a === undefined || a === null;
  const bNull = b === undefined || b === null;
  if (aNull && bNull) return 0;
  if (aNull) return 1;
  if (bNull) return -1;
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * The latest state of every deployment, held in memory so fleet pages and deployment cards are answered
 * without a database round trip. The database stays the source of truth: FleetSnapshotCache loads this from
 * the tables (through DatabaseHealthStore), applies the store's own writes after they commit, and reloads when
 * another replica wrote.
 */
export class FleetSnapshot {
  private readonly byRef = new Map<string, DeploymentState>();
  private readonly entityAnswers = new Map<string, SerializedAnswer>();
  private readonly pageAnswers = new Map<string, SerializedAnswer>();
  private sorted?: DeploymentState[];

  constructor(states: Iterable<DeploymentState> = []) {
    for (const state of states) this.byRef.set(state.summary.entityRef, state);
  }

  get size() {
    return this.byRef.size;
  }

  get(entityRef: string): DeploymentState | undefined {
    return this.byRef.get(entityRef);
  }

  /** Puts a newer state in; an older one (by checkedAt) than what is held is ignored. */
  put(state: DeploymentState): void {
    const held = this.byRef.get(state.summary.entityRef);
    if (
      held &&
      held.checkedAtMs !== null &&
      (state.checkedAtMs === null || state.checkedAtMs < held.checkedAtMs)
    )
      return;
    this.byRef.set(state.summary.entityRef, state);
    this.changed(state.summary.entityRef);
  }

  remove(entityRef: string): void {
    if (this.byRef.delete(entityRef)) this.changed(entityRef);
  }

  entityAnswer(entityRef: string): SerializedAnswer | undefined {
    const state = this.byRef.get(entityRef);
    if (!state) return undefined;
    let answer = this.entityAnswers.get(entityRef);
    if (!answer) {
      answer = serialize(state.health);
      this.entityAnswers.set(entityRef, answer);
    }
    return answer;
  }

  /** Every deployment's entity ref. */
  entityRefs(): string[] {
    return [...this.byRef.keys()];
  }

  /**
   * A fleet page as JSON. With `visible` (a caller who sees only some deployments) the page is filtered before it
   * is counted and paged, and serialized for that caller alone; without it the shared cached answer is served.
   */
  pageAnswer(
    query: FleetQuery,
    visible?: ReadonlySet<string>,
  ): SerializedAnswer {
    if (visible) return serialize(this.page(query, visible));
    const key = pageKey(query);
    let answer = this.pageAnswers.get(key);
    if (!answer) {
      if (this.pageAnswers.size >= MAX_CACHED_PAGES) this.pageAnswers.clear();
      answer = serialize(this.page(query));
      this.pageAnswers.set(key, answer);
    }
    return answer;
  }

  /**
   * Filters, counts, sorts and pages like the SQL it replaces (see DatabaseHealthStore.listFleet). `visible` restricts the
   * rows first, so counts, totals and pages only ever describe deployments the caller may see.
   */
  page(query: FleetQuery, visible?: ReadonlySet<string>): FleetPage {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const statuses = query.status?.length
      ? new Set<string>(query.status)
      : undefined;
    const owners = query.owner?.length ? new Set(query.owner) : undefined;
    const targets = query.target?.length ? new Set(query.target) : undefined;
    const providers = query.provider?.length
      ? new Set(query.provider)
      : undefined;
    const needle = query.q ? query.q.toLocaleLowerCase('en-US') : undefined;
    const driftFilters = query.drift?.length ? query.drift : undefined;
    const attentionFilters = query.attention?.length
      ? query.attention
      : undefined;

    const counts = Object.fromEntries(
      HEALTH_STATUSES.map(s => [s, 0]),
    ) as Record<HealthStatus, number>;
    const driftCounts = Object.fromEntries(
      FLEET_DRIFT_FILTERS.map(f => [f, 0]),
    ) as Record<FleetDriftFilter, number>;
    const attentionCounts = Object.fromEntries(
      FLEET_ATTENTION_FILTERS.map(f => [f, 0]),
    ) as Record<FleetAttentionFilter, number>;
    const matching: DeploymentState[] = [];
    for (const state of this.inNameOrder()) {
      const s = state.summary;
      if (visible && !visible.has(s.entityRef)) continue;
      if (statuses && !statuses.has(s.status)) continue;
      if (owners && !(s.owner !== undefined && owners.has(s.owner))) continue;
      if (targets && !(s.target !== undefined && targets.has(s.target)))
        continue;
      if (
        providers &&
        !Object.values(s.providers).some(
          p => p !== undefined && providers.has(p),
        )
      )
        continue;
      if (
        needle &&
        !s.name.toLocaleLowerCase('en-US').includes(needle) &&
        !(s.title ?? '').toLocaleLowerCase('en-US').includes(needle)
      ) {
        continue;
      }
      // Each group's counts are taken before its own filter applies (and after the other group's), so each
      // filter's count stays visible while another of its group is chosen.
      const driftKept =
        !driftFilters || driftFilters.some(f => DRIFT_MATCH[f](s.drift));
      const attentionKept =
        !attentionFilters || attentionFilters.some(f => ATTENTION_MATCH[f](s));
      if (attentionKept)
        for (const f of FLEET_DRIFT_FILTERS)
          if (DRIFT_MATCH[f](s.drift)) driftCounts[f] += 1;
      if (driftKept)
        for (const f of FLEET_ATTENTION_FILTERS)
          if (ATTENTION_MATCH[f](s)) attentionCounts[f] += 1;
      if (!driftKept || !attentionKept) continue;
      counts[s.status] += 1;
      matching.push(state);
    }

    const direction = query.order === 'desc' ? -1 : 1;
    const byName = (a: DeploymentState, b: DeploymentState) =>
      direction * compareNullable(a.summary.name, b.summary.name) ||
      a.id - b.id;
    let compare: (a: DeploymentState, b: DeploymentState) => number;
    const sort: FleetSortField = query.sort ?? 'name';
    switch (sort) {
      case 'status':
        compare = (a, b) =>
          direction *
            (STATUS_RANK[a.summary.status] - STATUS_RANK[b.summary.status]) ||
          byName(a, b);
        break;
      case 'owner':
        compare = (a, b) =>
          direction * compareNullable(a.summary.owner, b.summary.owner) ||
          byName(a, b);
        break;
      case 'checkedAt':
        compare = (a, b) =>
          direction * compareNullable(a.checkedAtMs, b.checkedAtMs) ||
          byName(a, b);
        break;
      case 'devices':
        compare = (a, b) =>
          direction *
            compareNullable(
              a.summary.devices?.connected,
              b.summary.devices?.connected,
            ) || byName(a, b);
        break;
      case 'name':
        compare = byName;
        break;
      default: {
        const unknownSort: never = sort;
        throw new Error(`Unknown fleet sort ${unknownSort}`);
      }
    }
    // Ascending by name is the order the rows are already in.
    if (sort !== 'name' || direction < 0) matching.sort(compare);

    const start = (page - 1) * pageSize;
    return {
      items: matching.slice(start, start + pageSize).map(s => s.summary),
      totalCount: matching.length,
      counts,
      driftCounts,
      attentionCounts,
      page,
      pageSize,
    };
  }

  private inNameOrder(): DeploymentState[] {
    if (!this.sorted) {
      this.sorted = [...this.byRef.values()].sort(
        (a, b) =>
          compareNullable(a.summary.name, b.summary.name) || a.id - b.id,
      );
    }
    return this.sorted;
  }

  private changed(entityRef: string) {
    this.entityAnswers.delete(entityRef);
    this.pageAnswers.clear();
    this.sorted = undefined;
  }
}
