import {
  DeploymentSpec,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf, gatewayRendererOf } from './providers';
import type { ServiceId } from './env';

/**
 * How many instances of a service the rendered deployment runs, and why when it is not what the spec asked:
 * Docker Compose runs one container per service; mps-router only speaks PostgreSQL (lib/pq), so with another
 * database it cannot find the MPS instance holding a device and MPS must run alone; behind a gateway that reuses
 * its connections to mps-router with no way to stop it, MPS runs alone too.
 */
export function renderedReplicas(
  spec: DeploymentSpec,
  id: ServiceId,
): { count: number; why?: string } {
  if (TARGETS[spec.target].platform === 'compose')
    return { count: 1, why: 'Docker Compose runs one container per service' };
  const database = databaseRendererOf(spec).info;
  if (id === 'mps' && database.engine !== 'postgres' && spec.replicas.mps > 1) {
    return {
      count: 1,
      why: `mps-router cannot look devices up in ${database.label}, so MPS runs alone`,
    };
  }
  const gateway = gatewayRendererOf(spec).info;
  if (
    id === 'mps' &&
    spec.replicas.mps > 1 &&
    gateway.upstreamPooling === 'no-switch' &&
    !(gateway.doesNotCarry ?? []).includes('device-api')
  ) {
    return {
      count: 1,
      why: `${gateway.label} reuses its connections to mps-router, which picks the MPS instance once per connection (so other devices' calls would reach the wrong MPS), and offers no way to stop it: MPS runs alone`,
    };
  }
  return { count: spec.replicas[id] };
}
