/**
 * Every request real clients make through the gateway (shared/reference/open-amt-traffic.md §1, read from
 * sample-web-ui devices.service.ts / auth.service.ts, ui-toolkit AMTRedirector.ts, rpc-go internal/rps, mps
 * webserver.ts and the deployment repository's kong.yaml at toolkit v2.37.0), with where each must arrive.
 */
import type { Component } from './graph';

export interface ClientRequest {
  id: string;
  who: string;
  method: string;
  url: string;
  websocket?: boolean;
  /** Where it must arrive. `relay`: MPS itself with one instance; through mps-router when MPS has replicas. */
  arrivesAt: Component | 'relay';
  port: number;
  /** The path the service must receive (query string excluded); undefined when the service ignores it. */
  path?: string;
  /** The gateway checks the JWT (MPS and RPS REST check none themselves); false: it must not. */
  jwtAtGateway: boolean;
}

const GUID = '4c4c4544-004b-4210-8033-b6c04f504633';

const mpsApi = (method: string, rest: string): ClientRequest => ({
  id: `A2 ${method} /mps/api/v1/${rest}`,
  who: 'Web UI',
  method,
  url: `/mps/api/v1/${rest}`,
  arrivesAt: 'mpsrouter',
  port: 8003,
  path: `/api/v1/${rest.split('?')[0]}`,
  jwtAtGateway: true,
});

const rpsApi = (method: string, rest: string): ClientRequest => ({
  id: `A4 ${method} /rps/api/v1/admin/${rest}`,
  who: 'Web UI',
  method,
  url: `/rps/api/v1/admin/${rest}`,
  arrivesAt: 'rps',
  port: 8081,
  path: `/api/v1/admin/${rest.split('?')[0]}`,
  jwtAtGateway: true,
});

export const CLIENT_REQUESTS: ClientRequest[] = [
  { id: 'A1 login', who: 'Web UI', method: 'POST', url: '/mps/login/api/v1/authorize', arrivesAt: 'mps', port: 3000, path: '/api/v1/authorize', jwtAtGateway: false },
  mpsApi('GET', 'devices?$top=25&$skip=0&$count=true'),
  mpsApi('GET', 'devices/stats'),
  mpsApi('GET', `devices/${GUID}`),
  mpsApi('GET', `authorize/redirection/${GUID}`),
  mpsApi('GET', `amt/power/state/${GUID}`),
  mpsApi('POST', `amt/power/action/${GUID}`),
  mpsApi('GET', `amt/log/event/${GUID}?$skip=0&$top=25`),
  mpsApi('DELETE', `amt/deactivate/${GUID}`),
  mpsApi('GET', 'ciracert'),
  ...(['kvm', 'sol', 'ider'] as const).map(
    (mode): ClientRequest => ({
      id: `A3 relay ${mode}`,
      who: 'Web UI (ui-toolkit)',
      method: 'GET',
      url: `/mps/ws/relay/webrelay.ashx?p=2&host=${GUID}&port=16994&tls=0&tls1only=0&mode=${mode}`,
      websocket: true,
      arrivesAt: 'relay',
      port: 3000,
      path: '/relay/webrelay.ashx',
      jwtAtGateway: false,
    }),
  ),
  rpsApi('GET', 'version'),
  rpsApi('GET', 'profiles?$top=25&$skip=0&$count=true'),
  rpsApi('POST', 'profiles'),
  rpsApi('PATCH', 'ciraconfigs'),
  rpsApi('DELETE', 'domains/example'),
  rpsApi('GET', 'proxyconfigs'),
  rpsApi('GET', 'profiles/export/desktop'),
  ...['/activate', '/deactivate', '/maintenance'].map(
    (url): ClientRequest => ({ id: `C1 rpc-go ${url}`, who: 'rpc-go', method: 'GET', url, websocket: true, arrivesAt: 'rps', port: 8080, jwtAtGateway: false }),
  ),
  { id: 'S deep link', who: 'browser', method: 'GET', url: `/devices/${GUID}`, arrivesAt: 'webui', port: 80, jwtAtGateway: false },
];
