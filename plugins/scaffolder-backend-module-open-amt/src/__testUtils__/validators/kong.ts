/**
 * Kong declarative format 3.0 rules the toolkit's 2.1 file breaks, plus reference integrity:
 * `_format_version: "3.0"`; regex paths start with `~` (3.0 treats unprefixed paths as plain
 * prefixes, so a regex without it silently never matches); route/service/consumer/plugin references
 * resolve; names unique; the JWT credential key equals the MPS issuer; every required route is there.
 */
import { GatewayRoute } from '@open-amt-backstage/plugin-open-amt-common';

const REGEX_CHARS = /[$^*+?()[\]{}|\\]/;
const PROTOCOLS = new Set([
  'http',
  'https',
  'grpc',
  'grpcs',
  'tcp',
  'tls',
  'tls_passthrough',
  'udp',
  'ws',
  'wss',
]);

export function checkKongConfig(
  config: any,
  opts: { issuer: string; routes: readonly GatewayRoute[] },
): string[] {
  const issues: string[] = [];
  if (config?._format_version !== '3.0')
    issues.push(
      `_format_version must be "3.0", got ${JSON.stringify(
        config?._format_version,
      )}`,
    );
  const services: any[] = config?.services ?? [];
  const serviceNames = new Set<string>();
  const routeNames = new Set<string>();
  const routePaths = new Map<string, string[]>();
  for (const s of services) {
    if (!s.name) issues.push('service without name');
    if (serviceNames.has(s.name)) issues.push(`duplicate service ${s.name}`);
    serviceNames.add(s.name);
    if (!s.url && !s.host)
      issues.push(`service ${s.name} has neither url nor host`);
    if (s.url) {
      try {
        const u = new URL(s.url);
        if (
          !['http:', 'https:', 'tcp:', 'tls:', 'grpc:', 'grpcs:'].includes(
            u.protocol,
          )
        )
          issues.push(`service ${s.name}: unsupported scheme ${u.protocol}`);
      } catch {
        issues.push(`service ${s.name}: url ${s.url} does not parse`);
      }
    }
    for (const r of s.routes ?? []) {
      if (routeNames.has(r.name)) issues.push(`duplicate route ${r.name}`);
      routeNames.add(r.name);
      const protocols: string[] = r.protocols ?? ['http', 'https'];
      for (const p of protocols)
        if (!PROTOCOLS.has(p))
          issues.push(`route ${r.name}: unknown protocol ${p}`);
      const stream = protocols.some(p =>
        ['tcp', 'tls', 'udp', 'tls_passthrough'].includes(p),
      );
      if (
        stream &&
        !(r.destinations?.length || r.sources?.length || r.snis?.length)
      )
        issues.push(
          `stream route ${r.name} needs destinations, sources or snis`,
        );
      if (
        !stream &&
        !(r.paths?.length || r.hosts?.length || r.methods?.length || r.headers)
      )
        issues.push(`http route ${r.name} matches nothing`);
      for (const p of r.paths ?? []) {
        if (typeof p !== 'string')
          issues.push(`route ${r.name}: path must be a string`);
        else if (p.startsWith('~')) {
          try {
            RegExp(p.slice(1));
          } catch {
            issues.push(`route ${r.name}: regex ${p} does not compile`);
          }
        } else {
          if (!p.startsWith('/'))
            issues.push(
              `route ${r.name}: path ${p} must start with / (or ~ for a regex)`,
            );
          if (REGEX_CHARS.test(p))
            issues.push(
              `route ${r.name}: path ${p} looks like a regex but lacks the ~ prefix (format 3.0)`,
            );
        }
      }
      routePaths.set(r.name, r.paths ?? []);
    }
  }
  const consumers: any[] = config?.consumers ?? [];
  const consumerNames = new Set(consumers.map(c => c.username ?? c.custom_id));
  const jwtKeys = consumers.flatMap(c => c.jwt_secrets ?? []);
  for (const plugin of config?.plugins ?? []) {
    if (plugin.route && !routeNames.has(plugin.route))
      issues.push(
        `plugin ${plugin.name} references unknown route ${plugin.route}`,
      );
    if (plugin.service && !serviceNames.has(plugin.service))
      issues.push(
        `plugin ${plugin.name} references unknown service ${plugin.service}`,
      );
    if (plugin.consumer && !consumerNames.has(plugin.consumer))
      issues.push(
        `plugin ${plugin.name} references unknown consumer ${plugin.consumer}`,
      );
  }
  const jwtPlugins = (config?.plugins ?? []).filter(
    (p: any) => p.name === 'jwt',
  );
  if (jwtPlugins.length && !jwtKeys.length)
    issues.push('jwt plugin without any consumer jwt_secrets');
  for (const k of jwtKeys) {
    if (k.key !== opts.issuer)
      issues.push(
        `jwt credential key ${k.key} is not the MPS issuer ${opts.issuer}`,
      );
    if ((k.algorithm ?? 'HS256') !== 'HS256')
      issues.push(`jwt credential algorithm ${k.algorithm} is not HS256`);
  }
  for (const p of jwtPlugins)
    if (p.config?.key_claim_name && p.config.key_claim_name !== 'iss')
      issues.push('jwt key_claim_name must be iss (MPS puts the issuer there)');
  for (const route of opts.routes) {
    const paths = routePaths.get(route.name);
    if (!paths) {
      issues.push(`required route ${route.name} missing`);
      continue;
    }
    const matches = paths.some(p =>
      p.startsWith('~')
        ? new RegExp(`^${p.slice(1).replace(/^\^/, '')}`).test(route.path)
        : route.path.startsWith(p),
    );
    if (!matches)
      issues.push(`route ${route.name} does not match ${route.path}`);
    const guarded = jwtPlugins.some((p: any) => p.route === route.name);
    if (guarded !== route.jwt)
      issues.push(
        `route ${route.name}: jwt ${guarded} but ${route.jwt} required`,
      );
  }
  return issues;
}
