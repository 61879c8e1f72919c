import type { HealthStatus } from '@open-amt-backstage/plugin-open-amt-common';

/** A secret name nobody writes: reading it proves reachability and permission without touching real values. */
export const CANARY_SECRET_NAME = 'health-canary';

const ORDER: HealthStatus[] = ['healthy', 'unknown', 'degraded', 'down'];

/** The most severe of several partial results. */
export function worst(statuses: HealthStatus[]): HealthStatus {
  return statuses.reduce(
    (a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a),
    'healthy' as HealthStatus,
  );
}
