/**
 * ESPv2 (Cloud Endpoints, image 2.51.0) from its source (espPathTemplates.ts cites the files and lines):
 * - the Envoy route is the first, in ESPv2's trie order, whose regex matches the path and whose method is the
 *   request's; `{name=**}` matches zero or more segments AFTER its slash, so `/activate/{path=**}` does not take
 *   `/activate`;
 * - `x-google-backend`: APPEND_PATH_TO_ADDRESS sends the address's path then the whole request path (no prefix is
 *   stripped: `/mps` stays); CONSTANT_ADDRESS sends the address's path, the query, then the path variables;
 * - a `security` requirement on an `x-google-issuer` scheme makes ESPv2 verify the JWT before the backend;
 * - WebSocket upgrades go through like any request of the operation (its HTTP connection manager has
 *   upgrade_configs websocket: src/go/configgenerator/filtergen/http_connection_manager.go:91).
 */
import type { RenderedOutput } from '../output';
import { espBackendPath, espMatch } from './espPathTemplates';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const SWAGGER = 'gateway/google-cloud-endpoints/openapi.yaml';

export const googleCloudEndpointsTrafficModel: GatewayTrafficModel = {
  describe: (out: RenderedOutput) => (out.file(SWAGGER) ? SWAGGER : undefined),
  route(out, request): GatewayOutcome {
    const doc = out.yaml(SWAGGER)[0];
    const [path] = request.url.split('?');
    const paths: Record<string, any> = doc.paths ?? {};
    const method = request.method.toLowerCase();
    const matched = espMatch(Object.keys(paths), path, t => !!paths[t][method]);
    if (!matched) {
      const anyMethod = espMatch(Object.keys(paths), path);
      return {
        refused: anyMethod
          ? `path ${anyMethod.template} has no ${request.method} operation (ESPv2 answers 405)`
          : 'matches no path (ESPv2 answers 404)',
      };
    }
    const operation = paths[matched.template][method];
    const backend = operation['x-google-backend'];
    if (!backend?.address)
      return {
        refused: `${request.method} ${matched.template} has no x-google-backend`,
      };
    const address = new URL(backend.address);
    // URL gives `/` for an address without a path; ESPv2 reads the path as written (util.ParseURI).
    const addressPath = /^[a-z]+:\/\/[^/]+$/.test(backend.address)
      ? ''
      : address.pathname;
    const sent = espBackendPath(
      backend.path_translation === 'CONSTANT_ADDRESS'
        ? 'CONSTANT_ADDRESS'
        : 'APPEND_PATH_TO_ADDRESS',
      addressPath,
      request.url,
      matched.params,
    );
    const [sentPath, ...sentQuery] = sent.split('?');
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
        path: sentPath,
        query: sentQuery.join('?'),
      },
      jwt,
    };
  },
};
