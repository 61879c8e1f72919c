/**
 * Tyk Gateway's request routing over classic API definitions, as the gateway source does it (TykTechnologies/tyk:
 * gateway/api_loader.go sortSpecsByListenPath, generateRoutesForPrefixes, explicitRouteSubpaths; internal/httputil
 * StripListenPath; gateway/reverse_proxy.go singleJoiningSlash, IsUpgrade) and the docs page "URL Path Matching":
 * - APIs are tried longest listen path first, each as a gorilla/mux PathPrefix (a literal prefix);
 * - with `enable_strict_routes` (set in the image's tyk.conf) a listen path without a trailing slash answers only
 *   itself and its sub-paths, and anything else it prefixes gets 404 — the request does not fall to another API;
 * - `strip_listen_path` trims the listen path; the rest joins the target URL's path with exactly one slash;
 * - WebSocket upgrades are proxied only with `http_server_options.enable_websockets`, which the image's tyk.conf
 *   (tyk.conf.example) leaves off;
 * - JWT middleware runs when `enable_jwt` is set and the API is not keyless; the query string is passed on.
 */
import type { RenderedOutput } from '../output';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const APPS = 'gateway/tyk/apps/';

/** tyk.conf as the image ships it (tyk.conf.example), with the TYK_GW_ overrides applied. */
function httpServerOptions(out: RenderedOutput) {
  // TYK_GW_* in the gateway container's environment override tyk.conf.
  const env = out.containerEnv('tyk');
  const flag = (name: string, imageDefault: boolean) =>
    env[name] === undefined ? imageDefault : env[name] === 'true';
  return {
    strictRoutes: flag('TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES', true),
    websockets: flag('TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS', false),
  };
}

function singleJoiningSlash(
  targetPath: string,
  subPath: string,
  disableStripSlash: boolean,
): string {
  if (disableStripSlash && (subPath === '' || subPath === '/'))
    return targetPath;
  const target = targetPath.replace(/\/+$/, '');
  const sub = subPath.replace(/^\/+/, '');
  return sub ? `${target}/${sub}` : target;
}

function httpApis(out: RenderedOutput): any[] {
  return out.files
    .filter(f => f.path.startsWith(APPS) && f.path.endsWith('.json'))
    .map(f => out.yaml(f.path)[0] as any)
    .filter(
      api =>
        api.active !== false &&
        api.protocol !== 'tcp' &&
        api.proxy?.listen_path !== undefined,
    )
    .sort((a, b) => b.proxy.listen_path.length - a.proxy.listen_path.length);
}

export const tykTrafficModel: GatewayTrafficModel = {
  describe: out =>
    out.files.some(f => f.path.startsWith(APPS)) ? `${APPS}*.json` : undefined,
  route(out, request): GatewayOutcome {
    const [path, ...rest] = request.url.split('?');
    const options = httpServerOptions(out);
    const api = httpApis(out).find(a => path.startsWith(a.proxy.listen_path));
    if (!api) return { refused: 'matches no listen path (Tyk answers 404)' };
    const listen: string = api.proxy.listen_path;
    if (
      options.strictRoutes &&
      !listen.endsWith('/') &&
      path !== listen &&
      !path.startsWith(`${listen}/`)
    ) {
      return {
        refused: `API ${api.api_id} (listen path ${listen}) takes it and, with strict routes, answers 404`,
      };
    }
    if (request.websocket && !options.websockets) {
      return {
        refused: `API ${api.api_id}: http_server_options.enable_websockets is off, so Tyk does not proxy the WebSocket upgrade`,
      };
    }
    const stripped = api.proxy.strip_listen_path
      ? `/${path.slice(listen.length).replace(/^\//, '')}`
      : path;
    const target = new URL(api.proxy.target_url);
    return {
      via: `API ${api.api_id}`,
      upstream: {
        host: target.hostname,
        port: Number(target.port || 80),
        path:
          singleJoiningSlash(
            target.pathname === '/' && !api.proxy.target_url.endsWith('/')
              ? ''
              : target.pathname,
            stripped,
            api.proxy.disable_strip_slash === true,
          ) || '/',
        query: rest.join('?'),
      },
      jwt: api.enable_jwt === true && api.use_keyless !== true,
    };
  },
};
