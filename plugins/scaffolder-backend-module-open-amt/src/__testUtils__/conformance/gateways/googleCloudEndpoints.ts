/**
 * ESPv2 (Cloud Endpoints) as its docs describe it:
 * - the operation comes from the Swagger 2 paths; `{name=**}` matches zero or more segments, `{name}` one; most
 *   specific first;
 * - `x-google-backend`: APPEND_PATH_TO_ADDRESS sends the whole request path after the address (no prefix is
 *   stripped); CONSTANT_ADDRESS sends the address's own path, the path variables as query parameters; the original
 *   query string is kept;
 * - a `security` requirement on an `x-google-issuer` scheme makes ESPv2 verify the JWT before the backend;
 * - WebSocket upgrades go through like any request of the operation (ESPv2 runs on Envoy).
 */
import type { RenderedOutput } from '../output';
import { matchPath } from './openApiPaths';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const SWAGGER = 'gateway/google-cloud-endpoints/openapi.yaml';

export const espDialect = {
  toPattern: (t: string) =>
    t.replace(
      /(\/?)\{([^}=]+)(=\*\*|=\*)?\}/g,
      (_all, slash: string, name: string, wildcard?: string) =>
        wildcard === '=**' ? `{${slash}*${name}}` : `${slash}:${name}`,
    ),
};

export const googleCloudEndpointsTrafficModel: GatewayTrafficModel = {
  describe: (out: RenderedOutput) => (out.file(SWAGGER) ? SWAGGER : undefined),
  route(out, request): GatewayOutcome {
    const doc = out.yaml(SWAGGER)[0];
    const [path, ...rest] = request.url.split('?');
    const matched = matchPath(doc.paths, path, espDialect);
    if (!matched) return { refused: 'matches no path (ESPv2 answers 404)' };
    const operation = matched.item[request.method.toLowerCase()];
    if (!operation)
      return {
        refused: `path ${matched.template} has no ${request.method} operation (ESPv2 answers 405)`,
      };
    const backend = operation['x-google-backend'];
    if (!backend?.address)
      return {
        refused: `${request.method} ${matched.template} has no x-google-backend`,
      };
    const address = new URL(backend.address);
    const base =
      address.pathname === '/' && !String(backend.address).endsWith('/')
        ? ''
        : address.pathname;
    const constant = backend.path_translation === 'CONSTANT_ADDRESS';
    const variables = new URLSearchParams(matched.params).toString();
    const query = [rest.join('?'), constant ? variables : '']
      .filter(Boolean)
      .join('&');
    const schemes = doc.securityDefinitions ?? {};
    const jwt = (operation.security ?? doc.security ?? []).some(
      (req: Record<string, unknown>) =>
        Object.keys(req).some(k => schemes[k]?.['x-google-issuer']),
    );
    return {
      via: `${request.method} ${matched.template}`,
      upstream: {
        host: address.hostname,
        port: Number(address.port || 80),
        path: constant ? base || '/' : `${base}${path}`,
        query,
      },
      jwt,
    };
  },
};
