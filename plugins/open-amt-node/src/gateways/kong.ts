import type { GatewayRoute } from '@open-amt-backstage/plugin-open-amt-common';
import type { GatewayAdapter, ProbeContext } from '../types';
import { failureToProbeResult, probeBudget, ProbeHttpResponse, probeHttp, redactUrl, sentThenOverlap } from '../net';
import { joinUrl } from '../net';

/** Kong reports this hash while a DB-less node has no declarative configuration loaded. */
const EMPTY_CONFIGURATION_HASH = '00000000000000000000000000000000';
/** Admin API pages followed at most (the API pages by 100 by default). */
const MAX_PAGES = 10;

interface KongRoute {
  id: string;
  name?: string | null;
  paths?: string[] | null;
  service?: { id: string } | null;
}

interface KongPage<T> {
  data?: T[];
  next?: string | null;
}

/** `~/mps/login/api/v1/authorize$` and `/mps` both mean the prefix the toolkit routes. */
function normalizePath(path: string): string {
  let p = path.startsWith('~') ? path.slice(1) : path;
  p = p.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\//g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

function routeMatches(live: KongRoute, expected: GatewayRoute): boolean {
  if (live.name && live.name === expected.name) return true;
  return (live.paths ?? []).some(p => normalizePath(p) === expected.path);
}

/** Reads every page of a Kong admin collection. */
async function listAll<T>(adminUrl: string, path: string, nextCtx: () => ProbeContext): Promise<T[] | ProbeHttpResponse | Error> {
  const items: T[] = [];
  let next: string | null | undefined = path;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const res = await probeHttp(joinUrl(adminUrl, next), nextCtx(), { expectJson: true });
    if (res.kind === 'failure') return Object.assign(new Error(res.message), { failure: res });
    if (res.status !== 200) return res;
    const body = res.json as KongPage<T>;
    items.push(...(body.data ?? []));
    next = body.next;
  }
  return items;
}

/**
 * Kong admin API: GET /status (configuration hash, database reachable), then /services and /routes compared with
 * the routes every Open AMT deployment needs. Missing or extra routes, and routes pointing at no service, are
 * drift (degraded) listed in details.drift.
 */
export const kongAdapter: GatewayAdapter = {
  provider: 'kong',
  async probe(url, expected, ctx) {
    const subject = `Kong admin API ${redactUrl(url)}`;
    const budget = probeBudget(ctx);
    // /routes and /services overlap /status (one round trip instead of three); they are read only when /status is fine.
    const exchange = sentThenOverlap(
      onSent => probeHttp(joinUrl(url, '/status'), budget.next(), { expectJson: true, onSent }),
      () => Promise.all([listAll<KongRoute>(url, '/routes', budget.next), listAll<{ id: string; name?: string }>(url, '/services', budget.next)]),
    );
    try {
      const status = await exchange.first;
      if (status.kind === 'failure') return failureToProbeResult(subject, status);
      if (status.status !== 200) {
        return { status: 'down', latencyMs: status.latencyMs, message: `${subject} answered /status with HTTP ${status.status}.`, details: { httpStatus: status.status } };
      }
      const body = status.json as { configuration_hash?: string; database?: { reachable?: boolean } };
      const server = String(status.headers.server ?? '');
      const details: Record<string, unknown> = {
        version: /kong\/([\w.-]+)/i.exec(server)?.[1],
        configurationHash: body.configuration_hash,
        databaseReachable: body.database?.reachable,
      };
      if (body.configuration_hash === EMPTY_CONFIGURATION_HASH) {
        return { status: 'down', latencyMs: status.latencyMs, message: `${subject}: no declarative configuration is loaded, so no route is served.`, details };
      }
      if (body.database?.reachable === false) {
        return { status: 'degraded', latencyMs: status.latencyMs, message: `${subject}: its database is unreachable; Kong serves its cached configuration.`, details };
      }

      const [routes, services] = (await exchange.next)!;
      for (const listing of [routes, services]) {
        if (listing instanceof Error) return failureToProbeResult(`${subject} (listing routes)`, (listing as Error & { failure: any }).failure);
        if (!Array.isArray(listing)) {
          return { status: 'degraded', latencyMs: status.latencyMs, message: `${subject}: listing routes or services answered HTTP ${listing.status}; drift not checked.`, details };
        }
      }
      const liveRoutes = routes as KongRoute[];
      const serviceIds = new Set((services as { id: string }[]).map(s => s.id));
      const missing = expected.filter(e => !liveRoutes.some(r => routeMatches(r, e))).map(e => e.name);
      const extra = liveRoutes.filter(r => !expected.some(e => routeMatches(r, e))).map(r => r.name ?? r.paths?.join(',') ?? r.id);
      const unresolved = liveRoutes.filter(r => r.service && !serviceIds.has(r.service.id)).map(r => r.name ?? r.id);
      const drift = { missing, extra, unresolvedServices: unresolved };
      const drifted = missing.length + extra.length + unresolved.length > 0;
      const parts = [
        missing.length ? `missing routes ${missing.join(', ')}` : '',
        extra.length ? `unexpected routes ${extra.join(', ')}` : '',
        unresolved.length ? `routes without a service ${unresolved.join(', ')}` : '',
      ].filter(Boolean);
      return {
        status: drifted ? 'degraded' : 'healthy',
        latencyMs: status.latencyMs,
        message: drifted
          ? `${subject}: configuration drift — ${parts.join('; ')}.`
          : `${subject}: configuration loaded, all ${expected.length} Open AMT routes present.`,
        details: { ...details, routes: liveRoutes.length, services: serviceIds.size, drift },
      };
    } finally {
      await exchange.settled();
    }
  },
};
