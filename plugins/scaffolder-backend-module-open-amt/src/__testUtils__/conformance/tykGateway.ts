/**
 * Tyk Gateway v5.8.1 (the image we render, tykio/tyk-gateway:v5.8.1) as its source does it, over classic API
 * definitions. Every behaviour cites TykTechnologies/tyk at tag v5.8.1, file:line; tykGateway.test.ts runs Tyk's own
 * test vectors against it (api_loader_test.go TestSortSpecsByListenPath, proxy_muxer_test.go TestHandleSubroutes and
 * TestCheckPortWhiteList, internal/httputil/mux_test.go TestStripListenPath, reverse_proxy_test.go
 * TestSingleJoiningSlash, gateway_test.go TestListenerWithStrictRoutes, mw_jwt_test.go TestGetUserIDFromClaim).
 */

export const TYK_SOURCE = 'TykTechnologies/tyk v5.8.1';

/** The settings of tyk.conf the model reads, after the image's file and the TYK_GW_ environment. */
export interface TykConfig {
  listenPort: number;
  useSsl: boolean;
  strictRoutes: boolean;
  websockets: boolean;
  controlApiPort: number;
  healthCheckEndpointName: string;
  policySource: string;
  policyPath: string;
  policyRecordName: string;
  portWhiteList: Record<
    string,
    { ports?: number[]; ranges?: Array<{ from: number; to: number }> }
  >;
  disablePortWhiteList: boolean;
  proxyCloseConnections: boolean;
}

/**
 * The image's /opt/tyk-gateway/tyk.conf is tyk.conf.example (ci/goreleaser/goreleaser.yml:171-172, copied by
 * ci/Dockerfile.distroless:15): listen_port 8080, policies.policy_source file, enable_strict_routes true,
 * max_idle_connections_per_host 500; no enable_websockets, control_api_port, policy_path, ports_whitelist or
 * proxy_close_connections. health_check_endpoint_name defaults to hello (config/config.go:47, gateway/server.go:1488).
 */
const IMAGE_DEFAULTS: TykConfig = {
  listenPort: 8080,
  useSsl: false,
  strictRoutes: true,
  websockets: false,
  controlApiPort: 0,
  healthCheckEndpointName: 'hello',
  policySource: 'file',
  policyPath: '',
  policyRecordName: '',
  portWhiteList: {},
  disablePortWhiteList: false,
  proxyCloseConnections: false,
};

/** Go strconv.ParseBool, as envconfig decodes booleans. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * TYK_GW_<FIELD>[_<FIELD>] override tyk.conf (config/config.go:63 envPrefix, :1424 envconfig.Process: struct field
 * names upper-cased); TYK_GW_PORTWHITELIST is JSON (config/config.go:680-687 PortsWhiteList.Decode).
 */
export function tykConfig(env: Record<string, string | undefined>): TykConfig {
  const c = { ...IMAGE_DEFAULTS };
  const bool = (name: string, fallback: boolean) =>
    env[name] === undefined
      ? fallback
      : parseBool(String(env[name])) ?? fallback;
  const int = (name: string, fallback: number) =>
    env[name] === undefined ? fallback : Number(env[name]);
  const str = (name: string, fallback: string) => env[name] ?? fallback;
  c.listenPort = int('TYK_GW_LISTENPORT', c.listenPort);
  c.useSsl = bool('TYK_GW_HTTPSERVEROPTIONS_USESSL', c.useSsl);
  c.strictRoutes = bool(
    'TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES',
    c.strictRoutes,
  );
  c.websockets = bool(
    'TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS',
    c.websockets,
  );
  c.controlApiPort = int('TYK_GW_CONTROLAPIPORT', c.controlApiPort);
  c.healthCheckEndpointName =
    str('TYK_GW_HEALTHCHECKENDPOINTNAME', '') || c.healthCheckEndpointName;
  c.policySource = str('TYK_GW_POLICIES_POLICYSOURCE', c.policySource);
  c.policyPath = str('TYK_GW_POLICIES_POLICYPATH', c.policyPath);
  c.policyRecordName = str(
    'TYK_GW_POLICIES_POLICYRECORDNAME',
    c.policyRecordName,
  );
  if (env.TYK_GW_PORTWHITELIST) {
    try {
      c.portWhiteList = JSON.parse(env.TYK_GW_PORTWHITELIST);
    } catch {
      c.portWhiteList = {};
    }
  }
  c.disablePortWhiteList = bool(
    'TYK_GW_DISABLEPORTWHITELIST',
    c.disablePortWhiteList,
  );
  c.proxyCloseConnections = bool(
    'TYK_GW_PROXYCLOSECONNECTIONS',
    c.proxyCloseConnections,
  );
  return c;
}

/** The protocol of the main listener: https with use_ssl (gateway/proxy_muxer.go:150-157, :178-184). */
export function mainProtocol(c: TykConfig): 'http' | 'https' {
  return c.useSsl ? 'https' : 'http';
}

/**
 * Whether a listener may open: the whitelist of its protocol lists the port or a range holding it
 * (gateway/proxy_muxer.go:486-497 CheckPortWhiteList, config/config.go:653-676), unless disable_ports_whitelist
 * (proxy_muxer.go:502). The listen and control ports are added under the main protocol at start (gateway/server.go:1716, :1979-2000).
 */
export function checkPortWhiteList(
  whitelist: TykConfig['portWhiteList'] | undefined,
  port: number,
  protocol: string,
): boolean {
  const list = whitelist?.[protocol];
  if (!list) return false;
  return (
    (list.ports ?? []).includes(port) ||
    (list.ranges ?? []).some(r => r.from <= port && r.to >= port)
  );
}

export function listenerOpens(
  c: TykConfig,
  port: number,
  protocol: string,
): boolean {
  if (c.disablePortWhiteList) return true;
  const main = mainProtocol(c);
  const implicit =
    protocol === main &&
    (port === c.listenPort ||
      (c.controlApiPort !== 0 && port === c.controlApiPort));
  return implicit || checkPortWhiteList(c.portWhiteList, port, protocol);
}

/** Length used to order listen paths: `{…}` segments count only their slash (gateway/api_loader.go:951-970). */
export function listenPathLength(listenPath: string): number {
  if (!listenPath.includes('{')) return listenPath.length;
  let length = (listenPath.match(/\//g) ?? []).length;
  for (const segment of listenPath.split('/')) {
    if (segment.length > 2 && segment.startsWith('{') && segment.endsWith('}'))
      continue;
    length += segment.length;
  }
  return length;
}

/**
 * Longest listen path first (gateway/api_loader.go:936-949, sort.Slice; for the handful of APIs a deployment has Go's
 * insertion sort keeps equal lengths in input order, which Array.prototype.sort does too).
 */
export function sortByListenPath<T extends { proxy: { listen_path: string } }>(
  apis: T[],
): T[] {
  return [...apis].sort(
    (a, b) =>
      listenPathLength(b.proxy.listen_path) -
      listenPathLength(a.proxy.listen_path),
  );
}

/** gorilla/mux template → regexp source: `{name}` one segment, `{name:pattern}` the pattern. */
function templateRegexp(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] === '{') {
      let depth = 1;
      let j = i + 1;
      while (j < template.length && depth > 0) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}') depth--;
        j++;
      }
      const inner = template.slice(i + 1, j - 1);
      const colon = inner.indexOf(':');
      out += colon < 0 ? '[^/]+' : `(?:${inner.slice(colon + 1)})`;
      i = j;
    } else {
      out += template[i].replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return out;
}

const isTemplate = (p: string) => p.includes('{') && p.includes('}');

/** gorilla/mux PathPrefix: a literal prefix, or the template's regexp anchored at the start (no end anchor). */
function prefixMatches(prefix: string, path: string): boolean {
  if (!isTemplate(prefix)) return path.startsWith(prefix);
  return new RegExp(`^${templateRegexp(prefix)}`).test(path);
}

/**
 * With enable_strict_routes a listen path without a trailing slash and without `{…}` answers only itself and its
 * sub-paths; any other path it prefixes gets 404 (gateway/api_loader.go:724-758 explicitRouteSubpaths, :825).
 */
function strictRefuses(prefix: string, path: string, strict: boolean): boolean {
  if (!strict || prefix.endsWith('/') || isTemplate(prefix)) return false;
  return !(path === prefix || path.startsWith(`${prefix}/`));
}

/** gorilla/mux cleans the path (path.Clean, trailing slash kept) and redirects (301) to it unless skip_url_cleaning. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  const abs = p.startsWith('/') ? p : `/${p}`;
  const parts: string[] = [];
  for (const s of abs.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  let cleaned = `/${parts.join('/')}`;
  if (abs.endsWith('/') && cleaned !== '/') cleaned += '/';
  return cleaned;
}

export interface TykApi {
  api_id: string;
  org_id?: string;
  protocol?: string;
  listen_port?: number;
  use_keyless?: boolean;
  enable_jwt?: boolean;
  jwt_signing_method?: string;
  jwt_source?: string;
  jwt_identity_base_field?: string;
  jwt_policy_field_name?: string;
  jwt_default_policies?: string[];
  proxy: {
    listen_path: string;
    target_url: string;
    strip_listen_path?: boolean;
    disable_strip_slash?: boolean;
  };
  [key: string]: unknown;
}

/**
 * The API that answers a path on the main port, or 404. Each API registers the prefixes `/<api_id>/` and its listen
 * path, in listen-path order (gateway/api_loader.go:806-829, :978; `active` gates nothing there); an API on another
 * listen_port, or whose protocol is not the main listener's, is not attached to it (api_loader.go:772-780,
 * proxy_muxer.go:150-167, :194-201); `protocol` tcp/tls are TCP services (api_loader.go:1026-1045).
 */
export function matchApi(
  apis: TykApi[],
  c: TykConfig,
  rawPath: string,
): { api: TykApi; prefix: string } | { notFound: string } {
  const path = cleanPath(rawPath);
  const main = mainProtocol(c);
  const http = sortByListenPath(
    apis.filter(
      a =>
        (a.listen_port ?? 0) === 0 &&
        ((a.protocol ?? '') === '' || a.protocol === main),
    ),
  );
  for (const api of http) {
    for (const prefix of [`/${api.api_id}/`, api.proxy.listen_path]) {
      if (!prefixMatches(prefix, path)) continue;
      if (strictRefuses(prefix, path, c.strictRoutes))
        return {
          notFound: `API ${api.api_id} (listen path ${prefix}) takes it and, with strict routes, answers 404`,
        };
      return { api, prefix };
    }
  }
  return { notFound: 'matches no listen path (Tyk answers 404)' };
}

/**
 * strip_listen_path: the listen path trimmed as a literal prefix, or as the template's regexp, then a leading slash
 * (internal/httputil/mux.go:82-115; gateway/api_definition.go:1715-1727 SanitizeProxyPaths).
 */
export function stripListenPath(listenPath: string, urlPath: string): string {
  let res = urlPath;
  if (urlPath.startsWith(listenPath)) res = urlPath.slice(listenPath.length);
  else if (isTemplate(listenPath)) {
    const m = new RegExp(`^${templateRegexp(listenPath)}`).exec(urlPath);
    if (m) res = urlPath.slice(m[0].length);
  }
  return res.startsWith('/') ? res : `/${res}`;
}

/** The target's path joined with the request's (gateway/reverse_proxy.go:426-438). */
export function singleJoiningSlash(
  targetPath: string,
  subPath: string,
  disableStripSlash: boolean,
): string {
  if (disableStripSlash && (subPath.length === 0 || subPath === '/'))
    return targetPath;
  const target = targetPath.replace(/\/+$/, '');
  const sub = subPath.replace(/^\/+/, '');
  return sub.length > 0 ? `${target}/${sub}` : target;
}

export interface TykPolicy {
  id?: string;
  org_id?: string;
  is_inactive?: boolean;
  access_rights?: Record<string, { versions?: string[] }>;
  [key: string]: unknown;
}

/**
 * Policies as policy_source file loads them (gateway/server.go:603-615): with policy_path every `*.json` of that
 * directory is ONE policy, stored under its own `id` (gateway/policy.go:94-118 LoadPoliciesFromDir; a file holding
 * a map of policies decodes to a policy without id); else policy_record_name is one file holding a map
 * (policy.go:74-92); with neither, no policies.
 */
export function loadPolicies(
  c: TykConfig,
  readDir: (
    dir: string,
  ) => Array<{ name: string; content: string }> | undefined,
  readFile: (path: string) => string | undefined,
): { policies: Map<string, TykPolicy>; problem?: string } {
  const policies = new Map<string, TykPolicy>();
  if (c.policySource === 'service' || c.policySource === 'rpc')
    return {
      policies,
      problem: `policy_source ${c.policySource} needs a Dashboard or MDCB`,
    };
  if (c.policyPath) {
    const files = readDir(c.policyPath);
    if (!files)
      return {
        policies,
        problem: `policies.policy_path ${c.policyPath} is not mounted`,
      };
    for (const f of files.filter(x => x.name.endsWith('.json'))) {
      let pol: TykPolicy = {};
      try {
        const parsed = JSON.parse(f.content);
        pol =
          parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? parsed
            : {};
      } catch {
        pol = {};
      }
      policies.set(typeof pol.id === 'string' ? pol.id : '', pol);
    }
    return { policies };
  }
  if (!c.policyRecordName)
    return {
      policies,
      problem: 'neither policy_path nor policy_record_name is set',
    };
  const content = readFile(c.policyRecordName);
  if (content === undefined)
    return {
      policies,
      problem: `policies.policy_record_name ${c.policyRecordName} is not mounted`,
    };
  try {
    for (const [id, pol] of Object.entries(
      JSON.parse(content) as Record<string, TykPolicy>,
    ))
      policies.set(id, { ...pol, id: pol.id ?? id });
  } catch {
    return {
      policies,
      problem: `${c.policyRecordName} is not a JSON map of policies`,
    };
  }
  return { policies };
}

/** A token as MPS signs it: HS256 with its JWT secret, the issuer in `iss`, an expiry. */
export interface JwtToken {
  alg: string;
  claims: Record<string, unknown>;
}

/**
 * Whether the JWT middleware admits a valid token of the deployment's issuer, and if not why (status 4xx). Runs when
 * enable_jwt and not use_keyless (api_loader.go:297-345, mw_jwt.go:59-61). The alg must fit jwt_signing_method
 * (mw_jwt.go:839-865); jwt_source is base64 of the secret (mw_jwt.go:188-210); with a central source the identity is
 * jwt_identity_base_field, else `sub` (mw_jwt.go:358-366, :952-990); the base policy comes from
 * jwt_policy_field_name's claim or else jwt_default_policies[0] (mw_jwt.go:244-272, :386-397), must be loaded and
 * owned by the API's org_id (mw_jwt.go:398-401, :790-811); the session's access_rights must list the API
 * (mw_access_rights.go:27-37) and the policy must not be inactive.
 */
export function jwtAdmits(
  api: TykApi,
  policies: Map<string, TykPolicy>,
  token: JwtToken,
  sourceIsBase64OfSecret: boolean,
): string | undefined {
  const method = api.jwt_signing_method ?? '';
  const hmac = /^HS/.test(token.alg);
  if ((method === 'hmac' || method === '') && !hmac)
    return `403: jwt_signing_method ${method || '(none)'} refuses ${token.alg}`;
  if (method === 'rsa' || method === 'ecdsa')
    return `403: jwt_signing_method ${method} refuses the ${token.alg} token MPS signs`;
  if (!api.jwt_source)
    return '403: no jwt_source: Tyk looks the token up as a key (one-to-one mapping), which the deployment never creates';
  if (!sourceIsBase64OfSecret)
    return '403: jwt_source is not the base64 of the JWT secret, so the signature never verifies';
  const field = api.jwt_identity_base_field ?? '';
  const identity =
    field && typeof token.claims[field] === 'string'
      ? token.claims[field]
      : token.claims.sub;
  if (typeof identity !== 'string' || identity === '')
    return `403: no identity in the token (jwt_identity_base_field ${
      field || '(none)'
    }, then sub)`;
  let policyId: string | undefined;
  if (api.jwt_policy_field_name) {
    const claimed = token.claims[api.jwt_policy_field_name];
    if (typeof claimed === 'string' && claimed) policyId = claimed;
  }
  policyId ??= api.jwt_default_policies?.[0];
  if (!policyId)
    return '403: no policy in the token and no jwt_default_policies';
  const policy = policies.get(policyId);
  if (!policy)
    return `403: policy ${policyId} is not loaded (key not authorized: no matching policy)`;
  if ((policy.org_id ?? '') !== (api.org_id ?? ''))
    return `403: policy ${policyId} has org_id "${
      policy.org_id ?? ''
    }", the API "${api.org_id ?? ''}" (no matching policy)`;
  if (policy.is_inactive) return `403: policy ${policyId} is inactive`;
  const rights = policy.access_rights ?? {};
  if (Object.keys(rights).length > 0 && !rights[api.api_id])
    return `403: policy ${policyId} grants no access to ${api.api_id}`;
  return undefined;
}

/**
 * The TCP service on a port: a `tcp`/`tls` API with that listen_port (api_loader.go:1026-1045, :834-864). It is
 * refused on the main listen port (proxy_muxer.go:226-234) and its listener opens only when the port whitelist allows
 * it (proxy_muxer.go:414-423 serve → :499-506 generateListener); a tcp listener is plain, so the one service on it
 * takes every connection and dials target_url's host:port, copying bytes both ways (tcp/tcp.go:123-166, :204-244).
 */
export function tcpService(
  apis: TykApi[],
  c: TykConfig,
  port: number,
): { api: TykApi; host: string; port: number } | { refused: string } {
  const api = apis.find(
    a =>
      (a.protocol === 'tcp' || a.protocol === 'tls') && a.listen_port === port,
  );
  if (!api) return { refused: `no tcp API listens on ${port}` };
  if (port === c.listenPort)
    return {
      refused: `API ${api.api_id}: a TCP service cannot use the main listen port ${port}`,
    };
  if (!listenerOpens(c, port, api.protocol!))
    return {
      refused: `API ${api.api_id}: ${api.protocol}:${port} is not in ports_whitelist (and disable_ports_whitelist is off): Tyk logs "trying to open disabled port" and never listens`,
    };
  // Devices' TLS must reach MPS untouched: a tls API terminates it at Tyk (proxy_muxer.go:519-540, tcp/tcp.go:131-137)
  // and a tls:// target opens a new TLS session to the upstream (tcp/tcp.go:228-233).
  if (api.protocol === 'tls')
    return {
      refused: `API ${api.api_id}: protocol tls terminates the devices' TLS at Tyk; MPS must terminate it (protocol tcp)`,
    };
  const target = /^tcp:\/\/([^:/]+):(\d+)/.exec(api.proxy.target_url);
  if (!target)
    return {
      refused: `API ${api.api_id}: target_url ${api.proxy.target_url} is not tcp://host:port (raw passthrough)`,
    };
  return { api, host: target[1], port: Number(target[2]) };
}

/**
 * Whether Tyk sends a request on a connection that carried others: each API's transport pools idle connections
 * (max_idle_connections_per_host, 500 in the image's tyk.conf; reverse_proxy.go:414-419, one transport per API at
 * :1187-1212) unless proxy_close_connections sets DisableKeepAlives (reverse_proxy.go:741). A WebSocket upgrade is
 * sent the same way (Go's Transport takes any idle connection), so a relay refused without 101 leaves its
 * connection for the next one.
 */
export function poolsUpstream(c: TykConfig): boolean {
  return !c.proxyCloseConnections;
}

/** The readiness endpoint: /<health_check_endpoint_name> on the control router, which is the control port when set (server.go:676, :2003-2010; api_loader.go:984-995). */
export function healthEndpoint(c: TykConfig): {
  port: number;
  path: string;
  scheme: 'HTTP' | 'HTTPS';
} {
  return {
    port: c.controlApiPort || c.listenPort,
    path: `/${c.healthCheckEndpointName}`,
    scheme: c.useSsl ? 'HTTPS' : 'HTTP',
  };
}
