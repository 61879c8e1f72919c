/**
 * Tyk Gateway over the files a deployment gives it: the API definitions and policies as mounted into the container
 * (compose bind mounts, Kubernetes ConfigMap / External Secrets template volumes) and tyk.conf as the image ships it
 * with the container's TYK_GW_ environment. The behaviour is tykGateway.ts (TykTechnologies/tyk v5.8.1, cited there).
 */
import type { RenderedOutput } from '../output';
import {
  jwtAdmits,
  loadPolicies,
  matchApi,
  singleJoiningSlash,
  stripListenPath,
  tcpService,
  TykApi,
  TykConfig,
  tykConfig,
  TYK_SOURCE,
} from '../tykGateway';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const APPS = 'gateway/tyk/apps/';
const TYK_IMAGE = /tyk-gateway:/;

type MountedFile = { name: string; content: string };

/** One Tyk container: its environment and what each mounted directory holds (undefined: not readable here). */
export interface TykContainer {
  where: string;
  env: Record<string, string | undefined>;
  readinessProbe?: { port?: number | string; path?: string; scheme?: string };
  readDir(dir: string): MountedFile[] | undefined;
}

const norm = (p: string) => p.replace(/\/+$/, '');

/** The rendered files directly in a repository folder. */
function repoDir(out: RenderedOutput, folder: string): MountedFile[] {
  const prefix = `${norm(folder.replace(/^\.\//, ''))}/`;
  return out.files
    .filter(
      f =>
        f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/'),
    )
    .map(f => ({ name: f.path.slice(prefix.length), content: f.content }));
}

/**
 * The repository folder a bind mount's source names: `./x` as written, or the absolute path `docker-compose config`
 * prints (its tail from the first folder the repository has).
 */
function repositoryFolder(out: RenderedOutput, source: string): string {
  const parts = source.replace(/^\.\//, '').split('/');
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (
      tail.startsWith('secrets/') ||
      out.files.some(f => f.path.startsWith(`${tail}/`))
    )
      return tail;
  }
  return source;
}

function composeContainers(
  out: RenderedOutput,
  compose: Record<string, any>,
): TykContainer[] {
  return Object.entries(compose)
    .filter(([, s]) => TYK_IMAGE.test(String(s.image)))
    .map(([name, s]) => {
      const volumes: Array<[string, string]> = (s.volumes ?? []).map((v: any) =>
        typeof v === 'string'
          ? (v.split(':').slice(0, 2) as [string, string])
          : [String(v.source), String(v.target)],
      );
      return {
        where: `docker-compose.yml services.${name}`,
        env: s.environment ?? {},
        readDir(dir: string) {
          const mount = volumes.find(
            ([, target]) => norm(target) === norm(dir),
          );
          if (!mount) return undefined;
          const source = repositoryFolder(out, mount[0]);
          // secrets/ is written by resolve-secrets.sh from the rendered templates: the apps are gateway/tyk/apps.
          if (source.startsWith('secrets/tyk-apps')) return repoDir(out, APPS);
          return repoDir(out, source);
        },
      };
    });
}

function kubernetesContainers(out: RenderedOutput): TykContainer[] {
  const objects = out.kubernetesObjects();
  return objects
    .filter(o => o.kind === 'Deployment')
    .flatMap(d =>
      (d.spec?.template?.spec?.containers ?? [])
        .filter((c: any) => TYK_IMAGE.test(String(c.image)))
        .map(
          (c: any): TykContainer => ({
            where: `Deployment ${d.metadata.name}`,
            env: Object.fromEntries(
              (c.env ?? []).map((e: any) => [
                e.name,
                e.value ?? (e.valueFrom ? '<from secret>' : undefined),
              ]),
            ),
            readinessProbe: c.readinessProbe?.httpGet
              ? {
                  port: c.readinessProbe.httpGet.port,
                  path: c.readinessProbe.httpGet.path,
                  scheme: c.readinessProbe.httpGet.scheme ?? 'HTTP',
                }
              : undefined,
            readDir(dir: string) {
              const mount = (c.volumeMounts ?? []).find(
                (m: any) => norm(m.mountPath) === norm(dir),
              );
              const volume = (d.spec.template.spec.volumes ?? []).find(
                (v: any) => v.name === mount?.name,
              );
              if (!volume) return undefined;
              const data = (entries: Record<string, string>): MountedFile[] =>
                Object.entries(entries).map(([name, content]) => ({
                  name,
                  content,
                }));
              if (volume.configMap) {
                const cm = objects.find(
                  o =>
                    o.kind === 'ConfigMap' &&
                    o.metadata.name === volume.configMap.name,
                );
                return cm ? data(cm.data ?? {}) : undefined;
              }
              if (volume.secret) {
                // Filled by External Secrets from its target template (the JWT secret as a template expression).
                const es = objects.find(
                  o =>
                    o.kind === 'ExternalSecret' &&
                    (o.spec?.target?.name ?? o.metadata.name) ===
                      volume.secret.secretName,
                );
                const template = es?.spec?.target?.template?.data;
                return template ? data(template) : undefined;
              }
              return undefined;
            },
          }),
        ),
    );
}

/** Every Tyk container of the deployment. */
export function tykContainers(out: RenderedOutput): TykContainer[] {
  const compose = out.composeServices();
  return compose ? composeContainers(out, compose) : kubernetesContainers(out);
}

/**
 * The API definitions Tyk loads from app_path (image default /opt/tyk-gateway/apps): every `*.json` but `*-oas.json`,
 * and those that parse (gateway/api_definition.go:657-675).
 */
function apisOf(container: TykContainer): TykApi[] {
  const appPath = container.env.TYK_GW_APPPATH ?? '/opt/tyk-gateway/apps';
  const files = container.readDir(appPath) ?? [];
  return files
    .filter(f => f.name.endsWith('.json') && !f.name.endsWith('-oas.json'))
    .flatMap(f => {
      try {
        return [JSON.parse(f.content) as TykApi];
      } catch {
        return [];
      }
    })
    .filter(a => a && a.proxy && typeof a.proxy.listen_path === 'string');
}

/**
 * jwt_source must be base64 of the MPS JWT secret (mw_jwt.go:198): on Kubernetes the External Secrets template
 * `b64enc`s it; on compose resolve-secrets.sh replaces the marker with `base64` of the store entry's secret.
 */
function sourceIsBase64OfSecret(
  out: RenderedOutput,
  source: string | undefined,
): boolean {
  if (!source) return false;
  if (/^\{\{\s*\.jwtSecret\s*\|\s*b64enc\s*\}\}$/.test(source)) return true;
  const script = out.file('scripts/resolve-secrets.sh') ?? '';
  const marker = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const fill = new RegExp(`sed "s\\|${marker}\\|\\$(\\w+)\\|"`).exec(script);
  return Boolean(
    fill &&
      new RegExp(
        `^${fill[1]}=\\$\\(jq -r \\.secret <<<"\\$entry_jwt".*\\| base64 -w0\\)$`,
        'm',
      ).test(script),
  );
}

/**
 * A token as MPS signs it at login (device-management-toolkit/mps src/routes/auth/signature.ts, login.ts): HS256, no
 * kid, claims tenantId, iss (MPS_JWT_ISSUER), deviceId `*` and exp; no sub, iat or nbf.
 */
function mpsToken(out: RenderedOutput) {
  return {
    alg: 'HS256',
    claims: {
      tenantId: '',
      iss: out.containerEnv('mps').MPS_JWT_ISSUER ?? 'the MPS issuer',
      deviceId: '*',
      exp: 4102444800,
    },
  };
}

/** What one container loads at start: its tyk.conf, API definitions and policies (computed once per output). */
interface TykGateway {
  container: TykContainer;
  config: TykConfig;
  apis: TykApi[];
  policies: ReturnType<typeof loadPolicies>;
}

const loaded = new WeakMap<RenderedOutput, TykGateway[]>();

function gatewaysOf(out: RenderedOutput): TykGateway[] {
  let gateways = loaded.get(out);
  if (!gateways) {
    gateways = tykContainers(out).map(container => {
      const config = tykConfig(container.env);
      return {
        container,
        config,
        apis: apisOf(container),
        policies: loadPolicies(
          config,
          dir => container.readDir(dir),
          file => {
            const slash = file.lastIndexOf('/');
            return container
              .readDir(file.slice(0, slash))
              ?.find(f => f.name === file.slice(slash + 1))?.content;
          },
        ),
      };
    });
    loaded.set(out, gateways);
  }
  return gateways;
}

function routeIn(
  out: RenderedOutput,
  { config, apis, policies: { policies, problem } }: TykGateway,
  request: { url: string; websocket?: boolean },
): GatewayOutcome {
  const [path, ...rest] = request.url.split('?');
  const match = matchApi(apis, config, path);
  if ('notFound' in match) return { refused: match.notFound };
  const { api } = match;
  if (request.websocket && !config.websockets)
    return {
      refused: `API ${api.api_id}: http_server_options.enable_websockets is off, so Tyk does not proxy the WebSocket upgrade`,
    };
  const jwt = api.enable_jwt === true && api.use_keyless !== true;
  if (jwt) {
    const refusal = jwtAdmits(
      api,
      policies,
      mpsToken(out),
      sourceIsBase64OfSecret(out, api.jwt_source),
    );
    if (refusal)
      return {
        refused: `API ${api.api_id}: a valid MPS token gets ${refusal}${
          problem ? ` (${problem})` : ''
        }`,
      };
  }
  // The listen path is stripped, whichever of the API's prefixes matched (api_definition.go:1722).
  const stripped = api.proxy.strip_listen_path
    ? stripListenPath(api.proxy.listen_path, path)
    : path;
  const target = new URL(api.proxy.target_url);
  // Go's url.Parse keeps an empty path for `http://host:port`; WHATWG URL reports `/`.
  const targetPath = /^[a-z]+:\/\/[^/]+$/i.test(api.proxy.target_url)
    ? ''
    : target.pathname;
  return {
    via: `API ${api.api_id}`,
    upstream: {
      host: target.hostname,
      port: Number(target.port || 80),
      path:
        singleJoiningSlash(
          targetPath,
          stripped,
          api.proxy.disable_strip_slash === true,
        ) || '/',
      query: rest.join('?'),
    },
    jwt,
  };
}

export const tykTrafficModel: GatewayTrafficModel = {
  source:
    `Tyk: ${TYK_SOURCE} gateway/api_loader.go:724-829,936-995 (listen-path order, PathPrefix, strict routes), ` +
    'internal/httputil/mux.go:82-115 (strip_listen_path), reverse_proxy.go:426-438,741,1866-1873 (join, keep-alive, ' +
    'websockets), proxy_muxer.go:217-255,486-506 and server.go:1979-2000 (TCP APIs, ports_whitelist), server.go:603-615 ' +
    'and policy.go:94-118 (policy_path), mw_jwt.go:188-210,358-401,790-811,952-990 and mw_access_rights.go:27-37 (JWT); ' +
    "vectors: Tyk's own tests (tykGateway.test.ts)",
  describe: out =>
    out.files.some(f => f.path.startsWith(APPS)) ? `${APPS}*.json` : undefined,
  route(out, request) {
    const gateways = gatewaysOf(out);
    if (!gateways.length)
      return { refused: 'no Tyk container runs the API definitions' };
    // Every replica must route it the same way; the first refusal is reported.
    const outcomes = gateways.map(g => routeIn(out, g, request));
    return outcomes.find(o => 'refused' in o) ?? outcomes[0];
  },
  tcp(out, port) {
    const gateways = gatewaysOf(out);
    if (!gateways.length) return { refused: 'no Tyk container' };
    const { container, config, apis } = gateways[0];
    const service = tcpService(apis, config, port);
    if ('refused' in service)
      return { refused: `${container.where}: ${service.refused}` };
    return {
      via: `API ${service.api.api_id}`,
      upstream: { host: service.host, port: service.port, path: '', query: '' },
      jwt: false,
    };
  },
};
