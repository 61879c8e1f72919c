import type { DeploymentDrift } from './drift';
import { ComponentId, DeploymentHealth, HealthStatus } from './health';

/** A fleet row's drift: the release and the counts, without the explained items (those are on the deployment). */
export type DeploymentDriftSummary = Omit<DeploymentDrift, 'items'>;

/** Fleet filters on drift: `behind` the newest supported release, or with at least one `drifted` item. */
export const FLEET_DRIFT_FILTERS = ['behind', 'drifted'] as const;
export type FleetDriftFilter = (typeof FLEET_DRIFT_FILTERS)[number];

/**
 * Days left at or below which a certificate is expiring (expired ones included): the certificates row degrades at
 * the same threshold (open-amt-node CERT_RENEW_DAYS), and the fleet's "certificates expiring" filter uses it.
 */
export const CERTIFICATE_RENEW_DAYS = 30;

/**
 * Fleet filters on what needs an operator: a certificate expiring within CERTIFICATE_RENEW_DAYS (or expired), or
 * an active device-drop alert on the devices row.
 */
export const FLEET_ATTENTION_FILTERS = [
  'certificates-expiring',
  'devices-dropped',
] as const;
export type FleetAttentionFilter = (typeof FLEET_ATTENTION_FILTERS)[number];

/** A fleet row's devices as MPS last counted them. */
export interface DeploymentDevicesSummary {
  connected: number;
  total: number;
  /** A device-drop alert is active on the devices row. */
  dropped: boolean;
}

/** A fleet row's certificates: the soonest expiry among those read. */
export interface DeploymentCertificatesSummary {
  /** Whole days until the first certificate expires; negative once one has expired. */
  soonestDaysLeft: number;
  /** At least one certificate has CERTIFICATE_RENEW_DAYS days left or fewer, expired ones included. */
  expiring: boolean;
}

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
  /** Absent while the devices row has never counted devices. */
  devices?: DeploymentDevicesSummary;
  /** Absent while no certificate has been read. */
  certificates?: DeploymentCertificatesSummary;
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
  /** Deployments per attention filter, over the fleet filtered by everything but `attention` (like driftCounts). */
  attentionCounts: Record<FleetAttentionFilter, number>;
  page: number;
  pageSize: number;
}

export const FLEET_SORT_FIELDS = [
  'name',
  'status',
  'owner',
  'checkedAt',
  /** By connected devices; deployments without counts last when ascending. */
  'devices',
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
  /** Any of: certificates expiring, devices dropped. */
  attention?: FleetAttentionFilter[];
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
