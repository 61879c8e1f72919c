import {
  asSupportLevel,
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
  computeDeploymentDrift,
  DeploymentDriftSummary,
  DeploymentHealth,
  DeploymentSummary,
  HEALTH_STATUSES,
  findProvider,
  HealthStatus,
  ProviderKind,
  SupportLevel,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DeploymentState } from './fleetSnapshot';
import { certificatesSummary, devicesSummary } from './inventorySummary';
import type { DeploymentMeta } from './HealthStore';

// The tables' rows as knex returns them, and their mapping to the API's types. Epoch-millisecond columns come
// back as strings from PostgreSQL (bigint) and as numbers from SQLite, hence `string | number`.

export interface DeploymentRow {
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
  /** The System's open-amt.io/toolkit-release as written; null when absent. */
  toolkit_release: string | null;
  status: HealthStatus;
  checked_at: string | number | null;
  count_healthy: number;
  count_degraded: number;
  count_down: number;
  count_unknown: number;
}

export interface ComponentRow {
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

export interface TransitionRow {
  deployment_id: number;
  component: ComponentId | 'deployment';
  from_status: HealthStatus | null;
  to_status: HealthStatus;
  at: number;
  message: string;
}

/** The deployment table's columns that come from the catalog (refreshed by syncDeployments and record). */
export const META_COLUMNS = [
  'namespace',
  'name',
  'title',
  'owner',
  'target',
  'database_provider',
  'secrets_provider',
  'gateway_provider',
  'simulated',
  'toolkit_release',
];

/** The deployment table's catalog-derived columns, shared by inserts, updates and the in-memory snapshot. */
export function metaColumns(meta: DeploymentMeta) {
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
    toolkit_release: meta.toolkitRelease ?? null,
  };
}

export function countStatuses(
  components: Pick<ComponentHealth, 'status'>[],
): Record<HealthStatus, number> {
  const counts = Object.fromEntries(HEALTH_STATUSES.map(s => [s, 0])) as Record<
    HealthStatus,
    number
  >;
  for (const c of components) counts[c.status] += 1;
  return counts;
}

/** Groups component rows by deployment id. */
export function groupByDeployment(
  rows: ComponentRow[],
): Map<number, ComponentRow[]> {
  const byDeployment = new Map<number, ComponentRow[]>();
  for (const row of rows) {
    const list = byDeployment.get(row.deployment_id) ?? [];
    list.push(row);
    byDeployment.set(row.deployment_id, list);
  }
  return byDeployment;
}

const iso = (ms: string | number | null | undefined) =>
  ms === null || ms === undefined
    ? undefined
    : new Date(Number(ms)).toISOString();
const orUndefined = <T>(v: T | null): T | undefined =>
  v === null ? undefined : v;
const COMPONENT_ORDER = new Map(COMPONENT_IDS.map((c, i) => [c, i]));

const PROVIDER_KINDS: Partial<Record<ComponentId, ProviderKind>> = {
  database: 'database',
  secrets: 'secrets',
  gateway: 'gateway',
};

/**
 * A row's support level: the registry's for a built-in provider (a row stored before its level changed, e.g. 'custom'
 * before the provider kit made those rows 'kit', reads as today's), else the stored one; an unknown stored value is an
 * adopter's provider, which is what 'custom' meant for rows of ids outside the registry.
 */
export function supportLevelOfRow(
  r: Pick<ComponentRow, 'component' | 'provider' | 'support_level'>,
): SupportLevel {
  const kind = PROVIDER_KINDS[r.component];
  const info = kind ? findProvider(kind, r.provider) : undefined;
  return info?.supportLevel ?? asSupportLevel(r.support_level) ?? 'custom';
}

/** A row's details: the object as written when the round was just written, else parsed from the stored JSON. */
function detailsOf(
  r: ComponentRow,
  written: ReadonlyMap<ComponentId, ComponentHealth['details']> | undefined,
): ComponentHealth['details'] {
  if (written?.has(r.component)) return written.get(r.component);
  return r.details ? JSON.parse(r.details) : undefined;
}

/** The API's view of a deployment, from its rows as stored (the same whether just written or loaded). */
export function stateOfRow(
  dep: DeploymentRow,
  rows: ComponentRow[],
  /** The details as written, by component: a just-written round's objects are not parsed back from their JSON. */
  written?: ReadonlyMap<ComponentId, ComponentHealth['details']>,
): DeploymentState {
  const components = [...rows]
    .sort(
      (a, b) =>
        (COMPONENT_ORDER.get(a.component) ?? 99) -
        (COMPONENT_ORDER.get(b.component) ?? 99),
    )
    .map(
      (r): ComponentHealth => ({
        component: r.component,
        provider: r.provider as ComponentHealth['provider'],
        supportLevel: supportLevelOfRow(r),
        status: r.status,
        latencyMs: orUndefined(r.latency_ms),
        checkedAt: iso(r.checked_at)!,
        message: r.message,
        details: detailsOf(r, written),
      }),
    );
  // Computed once per stored change (the snapshot keeps them), so fleet filters and counts cost nothing per request.
  const drift = computeDeploymentDrift({
    annotatedRelease: orUndefined(dep.toolkit_release),
    components,
  });
  const { items: _items, ...driftSummary } = drift;
  const summary = toSummary(dep, driftSummary);
  const devices = devicesSummary(components);
  if (devices) summary.devices = devices;
  const certificates = certificatesSummary(components);
  if (certificates) summary.certificates = certificates;
  const health: DeploymentHealth = {
    entityRef: dep.entity_ref,
    name: dep.name,
    title: orUndefined(dep.title),
    owner: orUndefined(dep.owner),
    target: orUndefined(dep.target),
    status: dep.status,
    checkedAt: iso(dep.checked_at),
    simulated: Boolean(dep.simulated),
    components,
    drift,
  };
  return {
    id: dep.id,
    summary,
    health,
    checkedAtMs: dep.checked_at === null ? null : Number(dep.checked_at),
  };
}

/** The state a just-written round leaves, built from what was written instead of read back. */
export function stateOf(
  id: number,
  meta: DeploymentMeta,
  status: HealthStatus,
  checkedAt: number,
  counts: Record<HealthStatus, number>,
  rows: ComponentRow[],
  components: ComponentHealth[],
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
    new Map(components.map(c => [c.component, c.details])),
  );
}

function toSummary(
  r: DeploymentRow,
  drift: DeploymentDriftSummary,
): DeploymentSummary {
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
    drift,
  };
}
