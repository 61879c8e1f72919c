/**
 * Azure API Management as its docs describe it ("API URL suffix", "URL template" of operations, "Import a WebSocket
 * API", "validate-jwt" policy, "Integrate with a virtual network for outbound connections"):
 * - the API is chosen by its URL suffix, the longest one that prefixes the request path at a segment boundary;
 * - an HTTP API's operation by method and URL template (`/*` takes any rest); the backend receives the service URL
 *   followed by the rest of the path, and the query string;
 * - a WebSocket API has one operation, the system onHandshake `GET /`: only the suffix itself opens it;
 * - validate-jwt in the API's policy checks the token before the backend: it reads the token from `header-name`
 *   (stripping `require-scheme`), verifies an HS256 signature with an `issuer-signing-keys` `<key>` (base64 of the
 *   symmetric key; `{{name}}` is a named value) and the `iss` claim against `<issuers>` (policy reference
 *   "validate-jwt", its "Simple token validation" example). The Web UI sends `Authorization: Bearer`; MPS signs with
 *   its JWT secret and puts MPS_JWT_ISSUER in `iss`;
 * - backends are reached over the internet unless the instance is integrated with a virtual network, so a private
 *   name needs `virtualNetworkType` with a subnet.
 * The Bicep is read as the resource blocks the renderer writes (no Bicep parser exists for Node).
 */
import { isPrivateName } from '../graph';
import type { RenderedOutput } from '../output';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const BICEP = 'gateway/azure-apim/apim.bicep';

interface BicepResource {
  symbol: string;
  type: string;
  body: string;
}

function resources(bicep: string): BicepResource[] {
  return bicep
    .split(/\n(?=resource )/)
    .map(block =>
      /^resource (\w+) '([^@']+)@[^']*' = \{([\s\S]*)$/.exec(block.trim()),
    )
    .filter((m): m is RegExpExecArray => !!m)
    .map(([, symbol, type, body]) => ({
      symbol,
      type,
      body: body.split(/\n\}\n?/)[0],
    }));
}

const field = (body: string, name: string) =>
  new RegExp(`\\b${name}: '([^']*)'`).exec(body)?.[1];

interface Api {
  symbol: string;
  path: string;
  serviceUrl: string;
  websocket: boolean;
  operations: Array<{ method: string; urlTemplate: string }>;
  jwt: boolean;
}

function apis(bicep: string): Api[] {
  const all = resources(bicep);
  const children = (symbol: string, type: string) =>
    all.filter(
      r => r.type === type && new RegExp(`parent: ${symbol}\\b`).test(r.body),
    );
  return all
    .filter(r => r.type === 'Microsoft.ApiManagement/service/apis')
    .map(r => ({
      symbol: r.symbol,
      path: field(r.body, 'path') ?? '',
      serviceUrl: field(r.body, 'serviceUrl') ?? '',
      websocket: field(r.body, 'type') === 'websocket',
      operations: children(
        r.symbol,
        'Microsoft.ApiManagement/service/apis/operations',
      ).map(o => ({
        method: field(o.body, 'method') ?? '',
        urlTemplate: field(o.body, 'urlTemplate') ?? '',
      })),
      jwt: children(
        r.symbol,
        'Microsoft.ApiManagement/service/apis/policies',
      ).some(
        p =>
          /validate-jwt/.test(p.body) ||
          /loadTextContent\('validate-jwt\.xml'\)/.test(p.body),
      ),
    }));
}

// Read once per rendered output: every client request is routed through the same APIs.
const parsed = new WeakMap<RenderedOutput, Api[]>();
function apisOf(out: RenderedOutput): Api[] {
  let found = parsed.get(out);
  if (!found) parsed.set(out, (found = apis(out.file(BICEP)!)));
  return found;
}

/** Why validate-jwt.xml would refuse the Web UI's MPS tokens, or nothing. */
export function validateJwtProblem(
  out: RenderedOutput,
  bicep: string,
): string | undefined {
  const xml = out.file('gateway/azure-apim/validate-jwt.xml');
  if (!xml) return 'validate-jwt.xml is missing';
  const attr = (name: string) =>
    new RegExp(`<validate-jwt[^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1];
  if (attr('header-name') !== 'Authorization')
    return `validate-jwt reads the token from ${
      attr('header-name') ?? 'no header'
    }, the Web UI sends it in Authorization`;
  const scheme = attr('require-scheme');
  if (scheme && scheme !== 'Bearer')
    return `validate-jwt requires the scheme ${scheme}, the Web UI sends Bearer`;
  const issuer = out.containerEnv('mps').MPS_JWT_ISSUER;
  const issuers = [...xml.matchAll(/<issuer>([^<]*)<\/issuer>/g)].map(m =>
    m[1].replace(/&amp;/g, '&'),
  );
  if (issuers.length && (!issuer || !issuers.includes(issuer)))
    return `validate-jwt accepts the issuers ${issuers.join(
      ', ',
    )}, MPS signs with ${issuer ?? 'its default issuer'}`;
  const keys = [
    ...xml.matchAll(/<issuer-signing-keys>[\s\S]*?<\/issuer-signing-keys>/g),
  ]
    .flatMap(m => [...m[0].matchAll(/<key>\{\{([^}]+)\}\}<\/key>/g)])
    .map(m => m[1]);
  if (!keys.length)
    return 'validate-jwt has no issuer-signing-keys named value with the HS256 key';
  const secretNamedValue = keys.some(k =>
    new RegExp(
      `name: '${k}'[\\s\\S]*?secret: true, value: jwtSigningKeyBase64`,
    ).test(bicep),
  );
  return secretNamedValue
    ? undefined
    : `validate-jwt's key {{${keys[0]}}} is not the secret named value holding the base64 JWT secret`;
}

export const azureApimTrafficModel: GatewayTrafficModel = {
  describe: out => (out.file(BICEP) ? BICEP : undefined),
  route(out, request): GatewayOutcome {
    const bicep = out.file(BICEP)!;
    const [path, ...rest] = request.url.split('?');
    const query = rest.join('?');
    const api = apisOf(out)
      .filter(
        a =>
          a.path === '' ||
          path === `/${a.path}` ||
          path.startsWith(`/${a.path}/`),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!api)
      return {
        refused: 'matches no API URL suffix (API Management answers 404)',
      };
    // The rest after the suffix keeps its leading slash (an empty suffix takes the whole path).
    const remainder = api.path === '' ? path : path.slice(api.path.length + 1);
    if (api.websocket !== !!request.websocket)
      return {
        refused: `API ${api.symbol} is ${
          api.websocket ? 'a WebSocket API' : 'an HTTP API'
        }, the request ${
          request.websocket ? 'is' : 'is not'
        } a WebSocket handshake`,
      };
    if (api.websocket && remainder !== '' && remainder !== '/') {
      return {
        refused: `WebSocket API ${api.symbol} has only onHandshake GET /, which ${path} does not match (404)`,
      };
    }
    if (
      !api.websocket &&
      !api.operations.some(
        o =>
          o.method === request.method &&
          (o.urlTemplate === '/*' || o.urlTemplate === (remainder || '/')),
      )
    ) {
      return {
        refused: `API ${api.symbol} has no ${request.method} operation for ${
          remainder || '/'
        } (404)`,
      };
    }
    if (api.jwt) {
      const problem = validateJwtProblem(out, bicep);
      if (problem) return { refused: `API ${api.symbol}: ${problem} (401)` };
    }
    const url = new URL(api.serviceUrl.replace(/^ws/, 'http'));
    if (
      isPrivateName(out, url.hostname) &&
      !/virtualNetworkType: 'External'/.test(bicep)
    ) {
      return {
        refused: `API ${api.symbol} → ${url.host}: a private name, and the instance is integrated with no virtual network (API Management reaches it over the internet)`,
      };
    }
    const base =
      url.pathname === '/' && !/:\d+\/$/.test(api.serviceUrl)
        ? ''
        : url.pathname;
    return {
      via: `API ${api.symbol}`,
      upstream: {
        host: url.hostname,
        port: Number(url.port || 80),
        path: `${base}${api.websocket ? '' : remainder}` || '/',
        query,
      },
      jwt: api.jwt,
    };
  },
};
