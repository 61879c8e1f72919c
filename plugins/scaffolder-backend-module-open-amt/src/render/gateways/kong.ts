/**
 * Kong DB-less declarative configuration, format 3.0 (the toolkit ships 2.1): exact-match routes use
 * `~` regex paths, prefixes stay plain; the JWT consumer credential key is the MPS issuer.
 * The credential secret is a template marker: resolve-secrets.sh (compose) or an External Secrets
 * template (Kubernetes) puts the value in, so no secret is committed.
 */
import { CIRA_PORT, DeploymentSpec, releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import { RenderedFile } from '../types';
import { toYaml } from '../yaml';
import { inClusterHost, JWT_SECRET_TEMPLATE, upstreamUrl } from './upstreams';

/**
 * Routes that must match exactly; Kong 3 evaluates `~` paths as regex before plain prefixes. The relay is a prefix:
 * the browser appends `/webrelay.ashx` and a query (the longer prefix wins over `/mps`).
 */
const EXACT_ROUTES = new Set(['mps-login']);

export function kongPath(route: { name: string; path: string }): string {
  return EXACT_ROUTES.has(route.name) ? `~${route.path.replace(/\./g, '\\.')}$` : route.path;
}

export function buildKongConfig(spec: DeploymentSpec) {
  const services = releaseOf(spec).gatewayRoutes.map(route => ({
    name: `${route.name}-service`,
    url: upstreamUrl(inClusterHost(spec, route.upstream.service), route),
    routes: [
      {
        name: route.name,
        paths: [kongPath(route)],
        strip_path: true,
        // websocket upgrades ride on http/https routes in Kong 3.
        protocols: ['http', 'https'],
      },
    ],
  }));
  services.push({
    name: 'mps-cira-service',
    url: `tcp://${inClusterHost(spec, 'mps')}:${CIRA_PORT}`,
    // Raw TLS passthrough: protocol tcp (not tls), so Kong never terminates the CIRA connection.
    routes: [{ name: 'mps-cira', protocols: ['tcp'], destinations: [{ port: CIRA_PORT }] } as any],
  });
  return {
    _format_version: '3.0',
    _transform: true,
    services,
    consumers: [
      {
        username: 'open-amt-admin',
        jwt_secrets: [{ key: spec.jwtIssuer, secret: JWT_SECRET_TEMPLATE, algorithm: 'HS256' }],
      },
    ],
    plugins: [
      ...releaseOf(spec).gatewayRoutes.filter(r => r.jwt).map(r => ({
        name: 'jwt',
        route: r.name,
        config: { key_claim_name: 'iss', claims_to_verify: ['exp'], secret_is_base64: false },
      })),
      {
        name: 'cors',
        config: {
          origins: [`https://${spec.gateway.publicHost}`],
          credentials: true,
          methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'],
          headers: ['Authorization', 'Content-Type', 'X-RPS-API-Key'],
          max_age: 3600,
        },
      },
    ],
  };
}

export function renderKong(spec: DeploymentSpec): RenderedFile[] {
  return [
    {
      path: 'gateway/kong/kong.yaml',
      content: `# Kong 3.x DB-less configuration for ${spec.name}. The credential secret is filled in at deploy time.\n${toYaml(buildKongConfig(spec))}`,
    },
  ];
}
