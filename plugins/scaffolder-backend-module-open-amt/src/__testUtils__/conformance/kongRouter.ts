/**
 * A model of Kong 3's traditional_compatible router (Kong's default router_flavor) over a DB-less declarative
 * configuration, as Kong's developer docs describe it ("Traditional router": path prefix and `~` regex matching,
 * route priority, strip_path; "Route entity": regex paths are anchored at the start; the query string is always
 * passed on). Only the fields the toolkit's routes use are modelled: paths, methods, hosts, protocols.
 */

export interface KongRequest {
  method: string;
  /** Path with query, e.g. `/mps/api/v1/devices?$top=25`. */
  url: string;
  websocket?: boolean;
}

export interface KongDecision {
  route: string;
  service: string;
  upstream: { host: string; port: number; path: string; query: string };
  /** Plugins that run for the request (route, service or global scope). */
  plugins: string[];
}

interface Candidate {
  route: any;
  service: any;
  regex: RegExp[];
  plain: string[];
  weight: number;
}

// Built once per configuration: the suite routes ~100 requests through each (bench:render's median).
const built = new WeakMap<object, Candidate[]>();

function candidatesOf(config: any): Candidate[] {
  const cached = built.get(config);
  if (cached) return cached;
  const sorted = buildCandidates(config);
  built.set(config, sorted);
  return sorted;
}

function buildCandidates(config: any): Candidate[] {
  const out: Candidate[] = [];
  for (const service of config?.services ?? []) {
    for (const route of service.routes ?? []) {
      const protocols: string[] = route.protocols ?? ['http', 'https'];
      if (!protocols.some(p => p === 'http' || p === 'https')) continue;
      const paths: string[] = route.paths ?? [];
      // Match weight: one per routing field the route specifies (sources, destinations, methods, hosts, headers, snis, paths).
      const weight = [
        'sources',
        'destinations',
        'methods',
        'hosts',
        'headers',
        'snis',
        'paths',
      ].filter(f => {
        const v = route[f];
        return Array.isArray(v)
          ? v.length > 0
          : v && typeof v === 'object' && Object.keys(v).length > 0;
      }).length;
      out.push({
        route,
        service,
        // Regex paths carry `~` and are anchored at the start of the normalized path.
        regex: paths
          .filter(p => p.startsWith('~'))
          .map(p => new RegExp(`^(?:${p.slice(1)})`)),
        plain: paths.filter(p => !p.startsWith('~')),
        weight,
      });
    }
  }
  // Priority, most significant first: match weight; routes with a regex path before plain ones, regex ones by
  // regex_priority (higher first); plain ones by their longest path (longer first).
  return out.sort((a, b) => {
    if (a.weight !== b.weight) return b.weight - a.weight;
    const ar = a.regex.length > 0;
    const br = b.regex.length > 0;
    if (ar !== br) return ar ? -1 : 1;
    if (ar)
      return (b.route.regex_priority ?? 0) - (a.route.regex_priority ?? 0);
    return (
      Math.max(0, ...b.plain.map(p => p.length)) -
      Math.max(0, ...a.plain.map(p => p.length))
    );
  });
}

/** RFC 3986 dot-segment removal and duplicate-slash merging, as Kong normalizes before matching. */
function normalize(path: string): string {
  const segments: string[] = [];
  for (const segment of path.replace(/\/{2,}/g, '/').split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.') segments.push(segment);
  }
  const joined = segments.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function pluginsFor(config: any, route: any, service: any): string[] {
  const scoped = (config?.plugins ?? []).filter((p: any) => {
    if (p.route) return p.route === route.name;
    if (p.service) return p.service === service.name;
    return !p.consumer; // global
  });
  return [...scoped, ...(route.plugins ?? []), ...(service.plugins ?? [])].map(
    (p: any) => p.name,
  );
}

/** Which route, service and upstream URL Kong sends the request to; undefined when no route matches (404). */
export function routeKong(
  config: any,
  request: KongRequest,
): KongDecision | undefined {
  const [rawPath, ...rest] = request.url.split('?');
  const query = rest.join('?');
  const path = normalize(rawPath);
  for (const c of candidatesOf(config)) {
    if (c.route.methods?.length && !c.route.methods.includes(request.method))
      continue;
    let matched: string | undefined;
    for (const re of c.regex) matched ??= re.exec(path)?.[0];
    for (const p of c.plain)
      if (matched === undefined && path.startsWith(p)) matched = p;
    if (matched === undefined) continue;
    const stripped =
      c.route.strip_path === false ? path : path.slice(matched.length);
    const url = new URL(
      c.service.url ??
        `${c.service.protocol ?? 'http'}://${c.service.host}:${
          c.service.port ?? 80
        }${c.service.path ?? ''}`,
    );
    // path_handling v0: the service path, then what is left of the request path.
    const base = url.pathname === '/' ? '' : url.pathname;
    const upstreamPath =
      `${base}${
        stripped.startsWith('/') || stripped === '' ? stripped : `/${stripped}`
      }` || '/';
    return {
      route: c.route.name,
      service: c.service.name,
      upstream: {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        path: upstreamPath,
        query,
      },
      plugins: pluginsFor(config, c.route, c.service),
    };
  }
  return undefined;
}
