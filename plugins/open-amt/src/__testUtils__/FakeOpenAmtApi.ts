import {
  builtInProviderRegistry,
  DeploymentHealth,
  DeploymentHistory,
  FleetPage,
  FleetQuery,
  HEALTH_STATUSES,
  DeploymentSummary,
  ProviderRegistryAnswer,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef, OpenAmtApi, RefreshOutcome } from '../api';

/**
 * An in-memory backend for component tests: answers like the REST router would (filters, sorting,
 * paging, 404 as undefined) and records the requests it got.
 */
export class FakeOpenAmtApi implements OpenAmtApi {
  health = new Map<string, DeploymentHealth>();
  fleet: DeploymentSummary[] = [];
  history?: DeploymentHistory;
  failWith?: Error;
  refreshOutcome: RefreshOutcome = { accepted: true };
  /** What GET /providers answers: the built-ins unless a test adds (or drops) some. */
  providers: ProviderRegistryAnswer = builtInProviderRegistry();
  /** Makes listProviders fail (a backend without the route, or down) or never settle (`'pending'`). */
  providersFailure?: Error | 'pending';
  readonly calls = {
    health: [] as DeploymentRef[],
    history: [] as { ref: DeploymentRef; from: Date; to: Date }[],
    refresh: [] as DeploymentRef[],
    list: [] as FleetQuery[],
    providers: 0,
  };

  setHealth(h: DeploymentHealth, namespace = 'default') {
    this.health.set(`${namespace}/${h.name}`, h);
  }

  async getDeploymentHealth(ref: DeploymentRef) {
    this.calls.health.push(ref);
    if (this.failWith) throw this.failWith;
    return this.health.get(`${ref.namespace}/${ref.name}`);
  }

  async getDeploymentHistory(
    ref: DeploymentRef,
    range: { from: Date; to: Date },
  ) {
    this.calls.history.push({ ref, ...range });
    if (this.failWith) throw this.failWith;
    return (
      this.history ?? {
        entityRef: `system:${ref.namespace}/${ref.name}`,
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        buckets: [],
        transitions: [],
      }
    );
  }

  async refreshDeployment(ref: DeploymentRef) {
    this.calls.refresh.push(ref);
    return this.refreshOutcome;
  }

  async listProviders(): Promise<ProviderRegistryAnswer> {
    this.calls.providers++;
    if (this.providersFailure === 'pending') return new Promise(() => {});
    if (this.providersFailure) throw this.providersFailure;
    return this.providers;
  }

  async listDeployments(query: FleetQuery = {}): Promise<FleetPage> {
    this.calls.list.push(query);
    if (this.failWith) throw this.failWith;
    const q = query.q?.toLocaleLowerCase();
    const matching = this.fleet.filter(
      d =>
        (!query.status?.length || query.status.includes(d.status)) &&
        (!query.owner?.length || query.owner.includes(d.owner ?? '')) &&
        (!query.target?.length || query.target.includes(d.target ?? '')) &&
        (!query.provider?.length ||
          Object.values(d.providers).some(
            p => p && query.provider!.includes(p),
          )) &&
        (!q || `${d.name} ${d.title ?? ''}`.toLocaleLowerCase().includes(q)),
    );
    // Like the backend: each group's counts before its own filter (after the other's), status counts after both.
    const inDrift = (d: DeploymentSummary) =>
      !query.drift?.length ||
      (query.drift.includes('behind') && d.drift.behind) ||
      (query.drift.includes('drifted') && d.drift.driftedCount > 0);
    const inAttention = (d: DeploymentSummary) =>
      !query.attention?.length ||
      (query.attention.includes('certificates-expiring') &&
        d.certificates?.expiring === true) ||
      (query.attention.includes('devices-dropped') &&
        d.devices?.dropped === true);
    const driftCounted = matching.filter(inAttention);
    const driftCounts = {
      behind: driftCounted.filter(d => d.drift.behind).length,
      drifted: driftCounted.filter(d => d.drift.driftedCount > 0).length,
    };
    const attentionCounted = matching.filter(inDrift);
    const attentionCounts = {
      'certificates-expiring': attentionCounted.filter(
        d => d.certificates?.expiring,
      ).length,
      'devices-dropped': attentionCounted.filter(d => d.devices?.dropped)
        .length,
    };
    matching.splice(
      0,
      matching.length,
      ...matching.filter(d => inDrift(d) && inAttention(d)),
    );
    if (query.sort) {
      const key = query.sort;
      const dir = query.order === 'desc' ? -1 : 1;
      matching.sort((a, b) =>
        key === 'devices'
          ? ((a.devices?.connected ?? Infinity) -
              (b.devices?.connected ?? Infinity) || 0) * dir
          : String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * dir,
      );
    }
    const page = query.page ?? 1; // 1-based, as the backend
    const pageSize = query.pageSize ?? 20;
    const counts = Object.fromEntries(
      HEALTH_STATUSES.map(s => [s, 0]),
    ) as FleetPage['counts'];
    matching.forEach(d => counts[d.status]++);
    return {
      items: matching.slice((page - 1) * pageSize, page * pageSize),
      totalCount: matching.length,
      counts,
      driftCounts,
      attentionCounts,
      page,
      pageSize,
    };
  }
}
