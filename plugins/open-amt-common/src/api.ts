import type { DeploymentDrift } from './drift';
import { ComponentId, DeploymentHealth, HealthStatus } from './health';

/** A fleet row's drift: the release and the counts, without the explained items (those are on the deployment). */
export type DeploymentDriftSummary = Omit<DeploymentDrift, 'items'>;

/** Fleet filters on drift: `behind` the newest supported release, or with at least one `drifted` item. */
export const FLEET_DRIFT_FILTERS = ['behind', 'drifted'] as const;
export type FleetDriftFilter = (typeof FLEET_DRIFT_FILTERS)[number];

/** GET /api/open-amt/deployments — one row of the fleet page. */
export interface DeploymentSummary {
  entityRef: string;
  name: string;
  title?: string;
  owner?: string;
  target?: string;
  status: HealthStatus;
  checkedAt?: string;
  simulated?: boolean;
  providers: { database?: string; secrets?: string; gateway?: string };
  /** Components per status, for the fleet page's compact view. */
  componentCounts: Record<HealthStatus, number>;
  /** Release and drift, computed from the latest stored health and the System's annotations. */
  drift: DeploymentDriftSummary;
}

export interface FleetPage {
  items: DeploymentSummary[];
  totalCount: number;
  /** Deployments per status over the whole filtered fleet, not only this page. */
  counts: Record<HealthStatus, number>;
  /**
   * Deployments behind the newest release / with drift, over the fleet filtered by everything but `drift` (so each
   * filter's count stays visible while another is chosen).
   */
  driftCounts: Record<FleetDriftFilter, number>;
  page: number;
  pageSize: number;
}

export const FLEET_SORT_FIELDS = [
  'name',
  'status',
  'owner',
  'checkedAt',
] as const;
export type FleetSortField = (typeof FLEET_SORT_FIELDS)[number];

export interface FleetQuery {
  status?: HealthStatus[];
  /** Matches the database, secrets or gateway provider id. */
  provider?: string[];
  owner?: string[];
  target?: string[];
  /** Any of: behind the newest release, drifted. */
  drift?: FleetDriftFilter[];
  /** Substring of the name or title. */
  q?: string;
  sort?: FleetSortField;
  order?: 'asc' | 'desc';
  /** 1-based (the first page is 1). */
  page?: number;
  pageSize?: number;
}

/** One downsampled bucket of a component's history. */
export interface HistoryBucket {
  component: ComponentId;
  /** ISO start of the bucket. */
  start: string;
  bucketSeconds: number;
  samples: number;
  /** Share of samples that were healthy or degraded (0..1). */
  uptime: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  /** The last value in the bucket of each number the component's history keeps (HISTORY_GAUGES). */
  gauges?: Record<string, number>;
}

export interface StatusTransition {
  component: ComponentId | 'deployment';
  from: HealthStatus | null;
  to: HealthStatus;
  at: string;
  message: string;
}

/** GET /api/open-amt/deployments/:namespace/:name/history?from&to */
export interface DeploymentHistory {
  entityRef: string;
  from: string;
  to: string;
  buckets: HistoryBucket[];
  transitions: StatusTransition[];
}

/** POST …/refresh answer. */
export interface RefreshResult {
  accepted: boolean;
  health?: DeploymentHealth;
}

/** Signal channel the backend publishes on for every state change. */
export const OPEN_AMT_SIGNAL_CHANNEL = 'open-amt:deployment-health';

export interface OpenAmtHealthSignal {
  entityRef: string;
  status: HealthStatus;
  changed: {
    component: ComponentId;
    from: HealthStatus | null;
    to: HealthStatus;
  }[];
}
