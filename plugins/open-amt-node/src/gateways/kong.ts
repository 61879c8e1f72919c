import type { GatewayRoute } from '@open-amt-backstage/plugin-open-amt-common';
import type { GatewayAdapter, ProbeContext } from '../types';
import {
  failureToProbeResult,
  probeBudget,
  ProbeHttpResponse,
  probeHttp,
  redactUrl,
  sentThenOverlap,
  withoutFollowUp,
} from '../net';
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
async function listAll<T>(
  adminUrl: string,
  path: string,
  nextCtx: () => ProbeContext,
): Promise<T[] | ProbeHttpResponse | Error> {
  const items: T[] = [];
  let next: string | null | undefined = path;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const res = await probeHttp(joinUrl(adminUrl, next), nextCtx(), {
      expectJson: true,
    });
    if (res.kind === 'failure')
      return Object.assign(new Error(res.message), { failure: res });
    if (res.status !== 200) return res;
    const body = res.json as KongPage<T>;
    items.push(...(body.data ?? []));
    next = body.next;
  }
  return items;
}

/** What /routes and /services told about one configuration, compared with the routes a deployment needs. */
interface DriftFacts {
  /** configuration_hash the listing belongs to (DB-less and hybrid nodes report one). */
  hash?: string;
  routes: number;
  services: number;
  drift: { missing: string[]; extra: string[]; unresolvedServices: string[] };
}

const DRIFT_FACT = 'drift';

function compareRoutes(
  liveRoutes: KongRoute[],
  services: { id: string }[],
  expected: readonly GatewayRoute[],
  hash?: string,
): DriftFacts {
  const serviceIds = new Set(services.map(s => s.id));
  const missing = expected
    .filter(e => !liveRoutes.some(r => routeMatches(r, e)))
    .map(e => e.name);
  const extra = liveRoutes
    .filter(r => !expected.some(e => routeMatches(r, e)))
    .map(r => r.name ?? r.paths?.join(',') ?? r.id);
  const unresolved = liveRoutes
    .filter(r => r.service && !serviceIds.has(r.service.id))
    .map(r => r.name ?? r.id);
  return {
    hash,
    routes: liveRoutes.length,
    services: serviceIds.size,
    drift: { missing, extra, unresolvedServices: unresolved },
  };
}

/**
 * Kong admin API: GET /status (configuration hash, database reachable), then /services and /routes compared with
 * the routes every Open AMT deployment needs. Missing or extra routes, and routes pointing at no service, are
 * drift (degraded) listed in details.drift. A configuration hash whose routes were already compared is not
 * listed again (the hash changes with every configuration Kong loads); nodes without a hash are listed every time.
 */
export const kongAdapter: GatewayAdapter = {
  provider: 'kong',
  async probe(url, expected, ctx) {
    const subject = `Kong admin API ${redactUrl(url)}`;
    const budget = probeBudget(ctx);
    const known = ctx.memory?.recall<DriftFacts>(DRIFT_FACT);
    const status = (onSent?: () => void) =>
      probeHttp(joinUrl(url, '/status'), budget.next(), {
        expectJson: true,
        onSent,
      });
    const listing = () =>
      Promise.all([
        listAll<KongRoute>(url, '/routes', budget.next),
        listAll<{ id: string; name?: string }>(url, '/services', budget.next),
      ]);
    // Without a known hash, /routes and /services overlap /status (one round trip instead of three); they are read only when /status is fine.
    const exchange = known
      ? withoutFollowUp(status())
      : sentThenOverlap(status, listing);
    try {
      const res = await exchange.first;
      if (res.kind === 'failure') return failureToProbeResult(subject, res);
      if (res.status !== 200) {
        return {
          status: 'down',
          latencyMs: res.latencyMs,
          message: `${subject} answered /status with HTTP ${res.status}.`,
          details: { httpStatus: res.status },
        };
      }
      const body = res.json as {
        configuration_hash?: string;
        database?: { reachable?: boolean };
      };
      const server = String(res.headers.server ?? '');
      const details: Record<string, unknown> = {
        version: /kong\/([\w.-]+)/i.exec(server)?.[1],
        configurationHash: body.configuration_hash,
        databaseReachable: body.database?.reachable,
      };
      if (body.configuration_hash === EMPTY_CONFIGURATION_HASH) {
        return {
          status: 'down',
          latencyMs: res.latencyMs,
          message: `${subject}: no declarative configuration is loaded, so no route is served.`,
          details,
        };
      }
      if (body.database?.reachable === false) {
        return {
          status: 'degraded',
          latencyMs: res.latencyMs,
          message: `${subject}: its database is unreachable; Kong serves its cached configuration.`,
          details,
        };
      }

      let facts: DriftFacts;
      if (
        known &&
        body.configuration_hash &&
        known.hash === body.configuration_hash
      ) {
        facts = known;
      } else {
        const [routes, services] = (await exchange.next) ?? (await listing());
        for (const listed of [routes, services]) {
          if (listed instanceof Error)
            return failureToProbeResult(
              `${subject} (listing routes)`,
              (listed as Error & { failure: any }).failure,
            );
          if (!Array.isArray(listed)) {
            return {
              status: 'degraded',
              latencyMs: res.latencyMs,
              message: `${subject}: listing routes or services answered HTTP ${listed.status}; drift not checked.`,
              details,
            };
          }
        }
        facts = compareRoutes(
          routes as KongRoute[],
          services as { id: string }[],
          expected,
          body.configuration_hash,
        );
        if (facts.hash) ctx.memory?.remember(DRIFT_FACT, facts);
        else ctx.memory?.forget(DRIFT_FACT);
      }
      const { missing, extra, unresolvedServices } = facts.drift;
      const drifted =
        missing.length + extra.length + unresolvedServices.length > 0;
      const parts = [
        missing.length ? `missing routes ${missing.join(', ')}` : '',
        extra.length ? `unexpected routes ${extra.join(', ')}` : '',
        unresolvedServices.length
          ? `routes without a service ${unresolvedServices.join(', ')}`
          : '',
      ].filter(Boolean);
      return {
        status: drifted ? 'degraded' : 'healthy',
        latencyMs: res.latencyMs,
        message: drifted
          ? `${subject}: configuration drift — ${parts.join('; ')}.`
          : `${subject}: configuration loaded, all ${expected.length} Open AMT routes present.`,
        details: {
          ...details,
          routes: facts.routes,
          services: facts.services,
          drift: facts.drift,
        },
      };
    } finally {
      await exchange.settled();
    }
  },
};
