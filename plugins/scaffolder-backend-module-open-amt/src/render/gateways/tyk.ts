/**
 * Tyk classic API definitions (one per route) + a policy file. JWT routes use HMAC with the identity in
 * `iss` (MPS puts the issuer there); `jwt_source` is a template marker filled at deploy time (it is the
 * shared secret, base64). CIRA goes through a Tyk TCP API on 4433 (tyk.conf must allow the port).
 */
import { CIRA_PORT, DeploymentSpec, releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import { RenderedFile } from '../types';
import { inClusterHost, upstreamUrl } from './upstreams';

export const TYK_POLICY_ID = 'open-amt-jwt';
const JWT_SOURCE_TEMPLATE = '{{ .jwtSecretBase64 }}';

function baseApi(spec: DeploymentSpec, id: string) {
  return {
    name: `${spec.name} ${id}`,
    api_id: `${spec.name}-${id}`,
    org_id: 'open-amt',
    active: true,
    version_data: { not_versioned: true, default_version: 'Default', versions: { Default: { name: 'Default' } } },
  };
}

export function buildTykApis(spec: DeploymentSpec) {
  const apis: Record<string, unknown>[] = releaseOf(spec).gatewayRoutes.map(route => ({
    ...baseApi(spec, route.name),
    protocol: 'https',
    use_keyless: !route.jwt,
    enable_jwt: route.jwt,
    ...(route.jwt
      ? {
          jwt_signing_method: 'hmac',
          jwt_source: JWT_SOURCE_TEMPLATE,
          jwt_identity_base_field: 'iss',
          jwt_policy_field_name: 'pol',
          jwt_default_policies: [TYK_POLICY_ID],
        }
      : {}),
    proxy: {
      // No trailing slash: with strict routes (the image's tyk.conf) `/mps` answers `/mps` and `/mps/…` only, and the
      // login's exact path matches itself (`/mps/login/…/authorize/` would not, and the request would fall to `/mps`).
      listen_path: route.path,
      target_url: upstreamUrl(inClusterHost(spec, route.upstream.service), route),
      strip_listen_path: true,
    },
    ...(route.websocket ? { enable_websockets: true } : {}),
    CORS: { enable: true, allowed_origins: [`https://${spec.gateway.publicHost}`], allow_credentials: true },
  }));
  apis.push({
    ...baseApi(spec, 'mps-cira'),
    protocol: 'tcp',
    listen_port: CIRA_PORT,
    use_keyless: true,
    proxy: { listen_path: '', target_url: `tcp://${inClusterHost(spec, 'mps')}:${CIRA_PORT}` },
  });
  return apis;
}

export function buildTykPolicies(spec: DeploymentSpec) {
  const access_rights: Record<string, unknown> = {};
  for (const route of releaseOf(spec).gatewayRoutes.filter(r => r.jwt)) {
    const apiId = `${spec.name}-${route.name}`;
    access_rights[apiId] = { api_id: apiId, api_name: `${spec.name} ${route.name}`, versions: ['Default'] };
  }
  return { [TYK_POLICY_ID]: { id: TYK_POLICY_ID, name: 'Open AMT JWT', active: true, rate: 1000, per: 1, quota_max: -1, access_rights } };
}

export function renderTyk(spec: DeploymentSpec): RenderedFile[] {
  return [
    ...buildTykApis(spec).map(api => ({
      path: `gateway/tyk/apps/${String(api.api_id)}.json`,
      content: `${JSON.stringify(api, null, 2)}\n`,
    })),
    { path: 'gateway/tyk/policies/policies.json', content: `${JSON.stringify(buildTykPolicies(spec), null, 2)}\n` },
  ];
}
