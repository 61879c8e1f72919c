/**
 * The routes every Open AMT gateway must carry (toolkit kong.yaml, rewritten for Kong format 3.0).
 * Renderers generate them for each gateway; the health engine compares a live gateway against them.
 */
export interface GatewayRoute {
  /** Stable name, also the Kong route name. */
  name: string;
  /** Public path prefix. */
  path: string;
  /** Upstream service (compose/Kubernetes service name) and port. */
  upstream: {
    service: 'mps' | 'rps' | 'mpsrouter' | 'webui';
    port: number;
    path?: string;
  };
  /** JWT checked by the gateway (HS256, key = MPS issuer). */
  jwt: boolean;
  websocket: boolean;
  /**
   * The one path clients open under a rewritten prefix, for gateways that cannot rewrite a prefix (they route that
   * exact path instead): the ui-toolkit's AMTRedirector always opens `webrelay.ashx` under the relay prefix.
   */
  clientPath?: string;
}

export const REQUIRED_GATEWAY_ROUTES: readonly GatewayRoute[] = [
  {
    name: 'mps-login',
    path: '/mps/login/api/v1/authorize',
    upstream: { service: 'mps', port: 3000, path: '/api/v1/authorize' },
    jwt: false,
    websocket: false,
  },
  // The browser's relay WebSocket (`/mps/ws/relay/webrelay.ashx?p=2&host=<guid>…`, token in Sec-WebSocket-Protocol):
  // a prefix, no gateway JWT (MPS checks the redirection token), and through mps-router, which sends it to the MPS
  // instance holding the device's CIRA connection (Helm chart v2.37.0 does the same).
  {
    name: 'mps-relay',
    path: '/mps/ws/relay',
    upstream: { service: 'mpsrouter', port: 8003, path: '/relay' },
    jwt: false,
    websocket: true,
    clientPath: '/webrelay.ashx',
  },
  {
    name: 'mps',
    path: '/mps',
    upstream: { service: 'mpsrouter', port: 8003 },
    jwt: true,
    websocket: false,
  },
  {
    name: 'rps',
    path: '/rps',
    upstream: { service: 'rps', port: 8081 },
    jwt: true,
    websocket: false,
  },
  {
    name: 'rps-activate',
    path: '/activate',
    upstream: { service: 'rps', port: 8080 },
    jwt: false,
    websocket: true,
  },
  {
    name: 'rps-deactivate',
    path: '/deactivate',
    upstream: { service: 'rps', port: 8080 },
    jwt: false,
    websocket: true,
  },
  {
    name: 'rps-maintenance',
    path: '/maintenance',
    upstream: { service: 'rps', port: 8080 },
    jwt: false,
    websocket: true,
  },
  {
    name: 'webui',
    path: '/',
    upstream: { service: 'webui', port: 80 },
    jwt: false,
    websocket: false,
  },
];

/** CIRA: raw TLS that MPS terminates itself; the gateway or a load balancer must pass it through. */
export const CIRA_PORT = 4433;
