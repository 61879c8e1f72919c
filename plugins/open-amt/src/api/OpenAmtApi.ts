import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentHealth,
  DeploymentHistory,
  FleetPage,
  FleetQuery,
  ProviderRegistryAnswer,
  RefreshResult,
} from '@open-amt-backstage/plugin-open-amt-common';

/** Identifies a deployment: the name and namespace of its System entity. */
export interface DeploymentRef {
  namespace: string;
  name: string;
}

/** The refresh answer, plus how long to wait when the backend rate-limited the request (HTTP 429). */
export interface RefreshOutcome extends RefreshResult {
  rateLimited?: boolean;
  retryAfterSeconds?: number;
}

/** Reads the Open AMT backend (plugin id `open-amt`). */
export interface OpenAmtApi {
  listDeployments(query?: FleetQuery): Promise<FleetPage>;
  /** Resolves to undefined while the deployment has not been probed yet (HTTP 404). */
  getDeploymentHealth(
    ref: DeploymentRef,
  ): Promise<DeploymentHealth | undefined>;
  getDeploymentHistory(
    ref: DeploymentRef,
    range: { from: Date; to: Date },
  ): Promise<DeploymentHistory>;
  refreshDeployment(ref: DeploymentRef): Promise<RefreshOutcome>;
  /** The providers the backend knows, per kind: the built-ins and those adopters' modules added. */
  listProviders(): Promise<ProviderRegistryAnswer>;
}

export const openAmtApiRef = createApiRef<OpenAmtApi>({
  id: 'plugin.open-amt.service',
});
