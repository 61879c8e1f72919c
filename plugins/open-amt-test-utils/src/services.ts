import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';
import {
  ContractDevice,
  ContractDomain,
  devicesStatsResponse,
  domainsResponse,
  TenantState,
} from './toolkitInventory';

/** What MPS and RPS put into their health report. */
export interface ToolkitServiceState {
  /** db.status: "OK" or the failure text MPS/RPS report (e.g. "invalid_password"). */
  dbStatus: string;
  dbName: string;
  /** secretStore.status: Vault's sys/health body, or a string when Vault could not be asked. */
  secretStoreStatus: Record<string, unknown> | string;
  /** The health handler throws (answers 500). */
  healthThrows: boolean;
  serviceVersion: string;
  protocolVersion?: string;
}

export interface MpsState extends ToolkitServiceState, TenantState {
  /** The devices table: tests connect and disconnect them. */
  devices: ContractDevice[];
  /** GET /api/v1/devices/stats fails in its database query (500, empty body). */
  statsThrows: boolean;
  adminUser: string;
  adminPassword: string;
  jwtSecret: string;
  jwtIssuer: string;
}

const vaultHealthy = (version = '1.18.3') => ({
  initialized: true,
  sealed: false,
  standby: false,
  performance_standby: false,
  replication_performance_mode: 'disabled',
  replication_dr_mode: 'disabled',
  server_time_utc: Math.floor(Date.now() / 1000),
  version,
  cluster_name: 'vault-cluster',
  cluster_id: 'c1',
});

function healthResponse(s: ToolkitServiceState): ContractResponse {
  if (s.healthThrows)
    return { status: 500, body: { error: 'Health Check failed' } };
  const store = s.secretStoreStatus;
  const storeOk =
    typeof store === 'object' &&
    store.initialized === true &&
    store.sealed === false;
  const ok = s.dbStatus === 'OK' && storeOk;
  return {
    status: ok ? 200 : 503,
    body: {
      db: { name: s.dbName, status: s.dbStatus },
      secretStore: { name: 'vault', status: store },
    },
  };
}

function base64url(input: string | Buffer) {
  return Buffer.from(input).toString('base64url');
}

/** An HS256 JWT with the claims MPS issues: {tenantId, iss, exp} (no aud/sub/iat). */
function issueToken(s: MpsState) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      tenantId: '',
      iss: s.jwtIssuer,
      exp: Math.floor(Date.now() / 1000) + 24 * 3600,
    }),
  );
  const signature = createHmac('sha256', s.jwtSecret)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** What RPS answers besides health and version: its ACM domains. */
export interface RpsState extends ToolkitServiceState, TenantState {
  domains: ContractDomain[];
  /** GET /api/v1/admin/domains fails in its database query (500). */
  domainsThrows: boolean;
}

/** MPS REST stand-in: GET /api/v1/health, /api/v1/version, /api/v1/devices/stats; POST /api/v1/authorize {username, password} → {token}. */
export async function startMpsServer(
  options: ContractServerOptions & { state?: Partial<MpsState> } = {},
): Promise<ContractServer<MpsState>> {
  const state: MpsState = {
    dbStatus: 'OK',
    dbName: 'postgres',
    secretStoreStatus: vaultHealthy(),
    healthThrows: false,
    // The newest release's versions, as a current deployment runs them.
    serviceVersion: LATEST_TOOLKIT_RELEASE.components.mps.version,
    requestTenant: '',
    devices: [],
    statsThrows: false,
    adminUser: 'standalone',
    adminPassword: 'G@ppm0ym',
    jwtSecret: 'test-jwt-secret-with-letters',
    jwtIssuer: '9EmRJTbIiIb4bIeSsmgcWIjrR6HyETqc',
    ...options.state,
  };
  return startContractServer(
    state,
    (req: ContractRequest, s): ContractResponse => {
      if (req.method === 'GET' && req.path === '/api/v1/health')
        return healthResponse(s);
      if (req.method === 'GET' && req.path === '/api/v1/version')
        return { status: 200, body: { serviceVersion: s.serviceVersion } };
      if (req.method === 'GET' && req.path === '/api/v1/devices/stats')
        return devicesStatsResponse(s);
      if (req.method === 'POST' && req.path === '/api/v1/authorize') {
        const body = req.json<{ username?: string; password?: string }>();
        if (!body?.username || !body?.password)
          return {
            status: 400,
            body: { errors: [{ msg: 'username and password are required' }] },
          };
        if (
          body.username !== s.adminUser ||
          body.password !== s.adminPassword
        ) {
          return {
            status: 401,
            body: { message: 'Incorrect Username and/or Password!' },
          };
        }
        return { status: 200, body: { token: issueToken(s) } };
      }
      return { status: 404, body: { error: 'Not Found' } };
    },
    options,
  );
}

/**
 * RPS REST stand-in: GET /api/v1/admin/health, /api/v1/admin/version {serviceVersion, protocolVersion} and
 * /api/v1/admin/domains.
 */
export async function startRpsServer(
  options: ContractServerOptions & {
    state?: Partial<RpsState>;
  } = {},
): Promise<ContractServer<RpsState>> {
  const state: RpsState = {
    dbStatus: 'OK',
    dbName: 'postgres',
    secretStoreStatus: vaultHealthy(),
    healthThrows: false,
    serviceVersion: LATEST_TOOLKIT_RELEASE.components.rps.version,
    protocolVersion: '4.0.0',
    requestTenant: '',
    domains: [],
    domainsThrows: false,
    ...options.state,
  };
  return startContractServer(
    state,
    (req, s): ContractResponse => {
      if (req.method === 'GET' && req.path === '/api/v1/admin/health')
        return healthResponse(s);
      if (req.method === 'GET' && req.path === '/api/v1/admin/domains')
        return domainsResponse(req, s);
      if (req.method === 'GET' && req.path === '/api/v1/admin/version') {
        return {
          status: 200,
          body: {
            serviceVersion: s.serviceVersion,
            protocolVersion: s.protocolVersion,
          },
        };
      }
      return { status: 404, body: { error: 'Not Found' } };
    },
    options,
  );
}

export interface MpsRouterState {
  /** The MPS the router forwards to (`MPS_HOST`:`MPS_PORT`). */
  mpsUrl: string;
}

/**
 * mps-router stand-in: a reverse proxy to MPS (Go httputil.ReverseProxy semantics: 502 with an empty body when
 * MPS cannot be reached).
 */
export async function startMpsRouterServer(
  options: ContractServerOptions & { mpsUrl: string },
): Promise<ContractServer<MpsRouterState>> {
  const agent = new http.Agent({ keepAlive: true });
  const server = await startContractServer(
    { mpsUrl: options.mpsUrl },
    (req, s) =>
      new Promise<ContractResponse>(resolve => {
        const target = new URL(
          req.path + (req.query.toString() ? `?${req.query}` : ''),
          s.mpsUrl,
        );
        const upstream = http.request(
          target,
          {
            method: req.method,
            agent,
            headers: {
              'content-type': String(
                req.headers['content-type'] ?? 'application/json',
              ),
            },
          },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 502,
                headers: {
                  'content-type': String(
                    res.headers['content-type'] ?? 'application/json',
                  ),
                },
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          },
        );
        upstream.on('error', () => resolve({ status: 502, body: '' }));
        upstream.end(req.body || undefined);
      }),
    options,
  );
  const close = server.close.bind(server);
  return Object.assign(server, {
    close: async () => {
      agent.destroy();
      await close();
    },
  });
}

/** The sample Web UI's index.html (sample-web-ui src/index.html, built): an Angular shell with <app-root>. */
export const WEB_UI_INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Device Management Toolkit</title>
  <base href="/">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" type="image/x-icon" href="favicon.ico">
<link rel="stylesheet" href="styles.css"></head>
<body class="mat-typography">
  <app-root></app-root>
<script src="polyfills.js" type="module"></script><script src="main.js" type="module"></script></body>
</html>
`;

export interface WebUiState {
  /** The page served for every path (nginx try_files falls back to index.html). */
  page: string;
  status: number;
}

/** Web UI (nginx) stand-in: GET any path → the Angular index.html. */
export async function startWebUiServer(
  options: ContractServerOptions & { state?: Partial<WebUiState> } = {},
): Promise<ContractServer<WebUiState>> {
  return startContractServer(
    { page: WEB_UI_INDEX_HTML, status: 200, ...options.state },
    (_req, s): ContractResponse => ({
      status: s.status,
      headers: { 'content-type': 'text/html', server: 'nginx' },
      body: s.page,
    }),
    options,
  );
}
