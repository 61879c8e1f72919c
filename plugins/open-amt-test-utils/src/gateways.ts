import { randomUUID } from 'node:crypto';
import {
  GatewayRoute,
  REQUIRED_GATEWAY_ROUTES,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';

// ---------- Kong admin API ----------

export interface KongService {
  id: string;
  name: string;
  host: string;
  port: number;
  path?: string | null;
  protocol: string;
}

export interface KongRoute {
  id: string;
  name: string;
  paths: string[];
  service: { id: string } | null;
  strip_path: boolean;
}

export interface KongState {
  version: string;
  configurationHash: string;
  databaseReachable: boolean;
  services: KongService[];
  routes: KongRoute[];
}

/**
 * The Kong entities the toolkit's routes become in format 3.0: one service per upstream (+path), one route per
 * required route; exact-match routes use `~` regex paths with `$`, prefix routes plain paths.
 */
export function kongEntitiesFor(
  routes: readonly GatewayRoute[] = REQUIRED_GATEWAY_ROUTES,
): { services: KongService[]; routes: KongRoute[] } {
  const services: KongService[] = [];
  const kongRoutes: KongRoute[] = [];
  for (const route of routes) {
    const key = `${route.upstream.service}-${route.upstream.port}${
      route.upstream.path ? route.upstream.path.replace(/\//g, '-') : ''
    }`;
    let service = services.find(s => s.name === key);
    if (!service) {
      service = {
        id: randomUUID(),
        name: key,
        host: route.upstream.service,
        port: route.upstream.port,
        path: route.upstream.path ?? null,
        protocol: route.websocket ? 'ws' : 'http',
      };
      services.push(service);
    }
    const exact = Boolean(route.upstream.path);
    kongRoutes.push({
      id: randomUUID(),
      name: route.name,
      paths: [exact ? `~${route.path}$` : route.path],
      service: { id: service.id },
      strip_path: true,
    });
  }
  return { services, routes: kongRoutes };
}

function page<T>(items: T[], req: ContractRequest, path: string) {
  const size = Math.min(Number(req.query.get('size') ?? 100) || 100, 1000);
  const offset = Number(req.query.get('offset') ?? 0) || 0;
  const slice = items.slice(offset, offset + size);
  const next =
    offset + size < items.length
      ? `${path}?size=${size}&offset=${offset + size}`
      : null;
  return {
    data: slice,
    next,
    offset: next ? String(offset + size) : undefined,
  };
}

/** Kong admin API stand-in: GET /status, /services, /routes (paged like Kong: data + next). */
export async function startKongAdminServer(
  options: ContractServerOptions & { state?: Partial<KongState> } = {},
): Promise<ContractServer<KongState>> {
  const state: KongState = {
    version: '3.9.0',
    configurationHash: 'a9a166c59873245db8f1a747ba9a80a7',
    databaseReachable: true,
    ...kongEntitiesFor(),
    ...options.state,
  };
  return startContractServer(
    state,
    (req, s): ContractResponse => {
      const headers = {
        server: `kong/${s.version}`,
        'x-kong-admin-latency': '1',
      };
      if (req.method !== 'GET')
        return {
          status: 405,
          headers,
          body: { message: 'Method not allowed' },
        };
      if (req.path === '/status') {
        return {
          status: 200,
          headers,
          body: {
            database: { reachable: s.databaseReachable },
            memory: {
              workers_lua_vms: [{ http_allocated_gc: '42.00 MiB', pid: 1 }],
              lua_shared_dicts: {},
            },
            server: {
              connections_accepted: 10,
              connections_active: 1,
              connections_handled: 10,
              connections_reading: 0,
              connections_waiting: 0,
              connections_writing: 1,
              total_requests: 100,
            },
            configuration_hash: s.configurationHash,
          },
        };
      }
      if (req.path === '/services')
        return {
          status: 200,
          headers,
          body: page(s.services, req, '/services'),
        };
      if (req.path === '/routes')
        return { status: 200, headers, body: page(s.routes, req, '/routes') };
      if (req.path === '/')
        return {
          status: 200,
          headers,
          body: {
            version: s.version,
            tagline: 'Welcome to kong',
            configuration: { database: 'off' },
          },
        };
      return { status: 404, headers, body: { message: 'Not found' } };
    },
    options,
  );
}

// ---------- Tyk ----------

export interface TykState {
  status: 'pass' | 'warn' | 'fail';
  version: string;
  components: Record<
    string,
    { status: 'pass' | 'warn' | 'fail'; componentType: string; output?: string }
  >;
}

/** Tyk Gateway stand-in: GET /hello → {status, version, description, details} (503 when fail). */
export async function startTykServer(
  options: ContractServerOptions & { state?: Partial<TykState> } = {},
): Promise<ContractServer<TykState>> {
  const state: TykState = {
    status: 'pass',
    version: 'v5.3.0',
    components: { redis: { status: 'pass', componentType: 'datastore' } },
    ...options.state,
  };
  return startContractServer(
    state,
    (req, s): ContractResponse => {
      if (req.path !== '/hello')
        return { status: 404, body: { error: 'Not found' } };
      const time = new Date().toISOString();
      return {
        status: s.status === 'fail' ? 503 : 200,
        body: {
          status: s.status,
          version: s.version,
          description: 'Tyk GW',
          details: Object.fromEntries(
            Object.entries(s.components).map(([k, c]) => [k, { ...c, time }]),
          ),
        },
      };
    },
    options,
  );
}

// ---------- Azure API Management ----------

export interface ApimState {
  serving: boolean;
}

/** API Management gateway stand-in: GET /status-0123456789abcdef → 200 (503 when not serving). */
export async function startApimServer(
  options: ContractServerOptions & { state?: Partial<ApimState> } = {},
): Promise<ContractServer<ApimState>> {
  return startContractServer(
    { serving: true, ...options.state },
    (req, s): ContractResponse => {
      if (req.path === '/status-0123456789abcdef')
        return { status: s.serving ? 200 : 503 };
      return {
        status: 404,
        body: { statusCode: 404, message: 'Resource not found' },
      };
    },
    options,
  );
}

// ---------- Amazon API Gateway stage ----------

export interface ApiGatewayStageState {
  stageName: string;
  /** Status the integration behind the stage's `/` route answers with (502 = integration failure). */
  rootIntegrationStatus: number;
}

/**
 * API Gateway REST stage stand-in at `<url>` = `<host>/<stage>`: `/` goes to an integration; any other path
 * answers 403 {"message":"Missing Authentication Token"} as API Gateway does for routes it does not have.
 */
export async function startApiGatewayStageServer(
  options: ContractServerOptions & {
    state?: Partial<ApiGatewayStageState>;
  } = {},
): Promise<ContractServer<ApiGatewayStageState>> {
  const state: ApiGatewayStageState = {
    stageName: 'prod',
    rootIntegrationStatus: 200,
    ...options.state,
  };
  const server = await startContractServer(
    state,
    (req, s): ContractResponse => {
      const headers = {
        'x-amzn-requestid': randomUUID(),
        'x-amz-apigw-id': randomUUID().slice(0, 16),
      };
      const prefix = `/${s.stageName}`;
      if (req.path !== prefix && !req.path.startsWith(`${prefix}/`)) {
        return {
          status: 403,
          headers: { ...headers, 'x-amzn-errortype': 'ForbiddenException' },
          body: { message: 'Forbidden' },
        };
      }
      const rest = req.path.slice(prefix.length) || '/';
      if (rest === '/') {
        if (s.rootIntegrationStatus >= 500) {
          return {
            status: s.rootIntegrationStatus,
            headers: {
              ...headers,
              'x-amzn-errortype': 'InternalServerErrorException',
            },
            body: { message: 'Internal server error' },
          };
        }
        return {
          status: s.rootIntegrationStatus,
          headers: { ...headers, 'content-type': 'text/html' },
          body: '<!doctype html><html><body><app-root></app-root></body></html>',
        };
      }
      return {
        status: 403,
        headers: {
          ...headers,
          'x-amzn-errortype': 'MissingAuthenticationTokenException',
        },
        body: { message: 'Missing Authentication Token' },
      };
    },
    options,
  );
  return Object.defineProperty(server, 'url', {
    value: `${server.url}/${state.stageName}`,
  });
}

// ---------- Google Cloud Endpoints (ESPv2) ----------

export interface EspState {
  healthy: boolean;
}

/** ESPv2 stand-in (--healthz=healthz): GET /healthz → 200 {} when healthy, 503 otherwise. */
export async function startEspServer(
  options: ContractServerOptions & { state?: Partial<EspState> } = {},
): Promise<ContractServer<EspState>> {
  return startContractServer(
    { healthy: true, ...options.state },
    (req, s): ContractResponse => {
      if (req.path === '/healthz')
        return s.healthy
          ? { status: 200, body: {} }
          : { status: 503, body: { code: 14, message: 'unhealthy' } };
      return {
        status: 404,
        body: {
          code: 5,
          message: `The current request is not defined by this API.`,
        },
      };
    },
    options,
  );
}
