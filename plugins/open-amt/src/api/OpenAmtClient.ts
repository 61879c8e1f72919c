import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DeploymentHealth,
  DeploymentHistory,
  FleetPage,
  FleetQuery,
  ProviderRegistryAnswer,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef, OpenAmtApi, RefreshOutcome } from './OpenAmtApi';

/** FleetQuery's list-valued fields. */
type ListParam = {
  [K in keyof FleetQuery]-?: NonNullable<
    FleetQuery[K]
  > extends readonly unknown[]
    ? K
    : never;
}[keyof FleetQuery];
/** Every list parameter, so a filter added to FleetQuery does not compile until it is sent. */
const LIST_PARAMS: Record<ListParam, true> = {
  status: true,
  provider: true,
  owner: true,
  target: true,
  drift: true,
  attention: true,
};

/** OpenAmtApi over the backend's REST router, through the app's DiscoveryApi and FetchApi. */
export class OpenAmtClient implements OpenAmtApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listDeployments(query: FleetQuery = {}): Promise<FleetPage> {
    const params = new URLSearchParams();
    // Arrays are sent as repeated parameters (?status=down&status=degraded), as the router expects.
    for (const key of Object.keys(LIST_PARAMS) as ListParam[]) {
      for (const value of query[key] ?? []) params.append(key, value);
    }
    if (query.q) params.set('q', query.q);
    if (query.sort) params.set('sort', query.sort);
    if (query.order) params.set('order', query.order);
    if (query.page !== undefined) params.set('page', String(query.page));
    if (query.pageSize !== undefined) {
      params.set('pageSize', String(query.pageSize));
    }
    const search = params.toString();
    return this.get<FleetPage>(`/deployments${search ? `?${search}` : ''}`);
  }

  async getDeploymentHealth(
    ref: DeploymentRef,
  ): Promise<DeploymentHealth | undefined> {
    const response = await this.request(deploymentPath(ref));
    // 404: the health engine has not probed this deployment yet.
    if (response.status === 404) return undefined;
    return this.parse<DeploymentHealth>(response);
  }

  async getDeploymentHistory(
    ref: DeploymentRef,
    range: { from: Date; to: Date },
  ): Promise<DeploymentHistory> {
    const params = new URLSearchParams({
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    });
    return this.get<DeploymentHistory>(
      `${deploymentPath(ref)}/history?${params}`,
    );
  }

  async refreshDeployment(ref: DeploymentRef): Promise<RefreshOutcome> {
    const response = await this.request(`${deploymentPath(ref)}/refresh`, {
      method: 'POST',
    });
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        accepted: false,
        rateLimited: true,
        retryAfterSeconds:
          Number.isFinite(retryAfter) && retryAfter > 0
            ? retryAfter
            : undefined,
      };
    }
    return this.parse<RefreshOutcome>(response);
  }

  async listProviders(): Promise<ProviderRegistryAnswer> {
    return this.get<ProviderRegistryAnswer>('/providers');
  }

  private async get<T>(path: string): Promise<T> {
    return this.parse<T>(await this.request(path));
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('open-amt');
    return this.fetchApi.fetch(`${baseUrl}${path}`, init);
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

function deploymentPath(ref: DeploymentRef): string {
  return `/deployments/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}`;
}
