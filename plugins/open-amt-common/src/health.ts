import type { DeploymentDrift } from './drift';
import { ProviderId, SupportLevel } from './providers';

/**
 * Append-only: stored history encodes a component by its position here (backend HealthStore/bucketCodec.ts).
 * `cira` is MPS's CIRA endpoint (TCP 4433), the path devices connect through; `devices` what MPS counts of its
 * devices (connected/total); `certificates` the ACM provisioning certificates and MPS's CIRA certificate, by expiry.
 */
export const COMPONENT_IDS = [
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
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

/**
 * Numbers from a component's details that its history keeps, the last value seen in each bucket (the devices row's
 * counts). Append-only per component: stored buckets encode the values by their position here.
 */
export const HISTORY_GAUGES: Partial<Record<ComponentId, readonly string[]>> = {
  devices: ['connectedCount', 'totalCount'],
};

export const HEALTH_STATUSES = [
  'healthy',
  'degraded',
  'down',
  'unknown',
] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface ComponentHealth {
  component: ComponentId;
  /**
   * Provider id for replaceable parts; 'open-amt' for the toolkit's own services (mps, rps, mpsrouter, webui, cira).
   * Another string for a store or gateway an adopter's backend module added (open-amt-node openAmtProvidersExtensionPoint).
   */
  provider: ProviderId | 'open-amt' | (string & {});
  supportLevel: SupportLevel;
  status: HealthStatus;
  /** Round-trip of the probe in milliseconds; undefined when nothing answered. */
  latencyMs?: number;
  /** ISO timestamp of the probe. */
  checkedAt: string;
  /** One sentence an operator understands. */
  message: string;
  /** Facts the probe learned (version, sealed, tables present, drift…); never secrets. */
  details?: Record<string, unknown>;
}

export interface DeploymentHealth {
  entityRef: string;
  name: string;
  title?: string;
  owner?: string;
  target?: string;
  status: HealthStatus;
  checkedAt?: string;
  simulated?: boolean;
  /** Seconds between scheduled probes; lets the UI flag stale data (older than 3 intervals). */
  intervalSeconds?: number;
  components: ComponentHealth[];
  /** Release and drift from the latest stored health and the release annotation (computeDeploymentDrift). */
  drift?: DeploymentDrift;
}

/**
 * Components whose loss stops device management; the Web UI is a convenience on top. A down CIRA endpoint
 * means no device can connect, however healthy MPS's REST API looks. The devices and certificates rows report on
 * what the services hold: an expired CIRA certificate already makes the CIRA row down, and an expired provisioning
 * certificate stops new ACM activations only, so they degrade the deployment rather than take it down.
 */
const CRITICAL: ReadonlySet<ComponentId> = new Set([
  'mps',
  'rps',
  'mpsrouter',
  'database',
  'secrets',
  'gateway',
  'cira',
]);

/**
 * A deployment's status from its components:
 * - down      when a critical component (all but the Web UI, so also the CIRA endpoint) is down;
 * - degraded  when any component is degraded, or the Web UI is down;
 * - unknown   when nothing is known (no components, or every component unknown), or some are unknown;
 * - healthy   when every component is healthy.
 */
export function deriveDeploymentStatus(
  components: Pick<ComponentHealth, 'component' | 'status'>[],
): HealthStatus {
  if (components.length === 0) return 'unknown';
  if (components.some(c => c.status === 'down' && CRITICAL.has(c.component)))
    return 'down';
  if (components.some(c => c.status === 'degraded' || c.status === 'down'))
    return 'degraded';
  if (components.some(c => c.status === 'unknown')) return 'unknown';
  return 'healthy';
}
