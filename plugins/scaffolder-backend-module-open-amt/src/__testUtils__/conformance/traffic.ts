/**
 * Every request real clients make through the gateway (shared/reference/open-amt-traffic.md §1, read from
 * sample-web-ui devices.service.ts / auth.service.ts, ui-toolkit AMTRedirector.ts, rpc-go internal/rps, mps
 * webserver.ts and the deployment repository's kong.yaml at toolkit v2.37.0), with where each must arrive.
 */
import type { ClientFlow } from '@open-amt-backstage/plugin-open-amt-common';
import type { Component } from './graph';

export interface ClientRequest {
  id: string;
  flow: ClientFlow;
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
  flow: 'device-api',
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
  flow: 'provisioning-api',
  who: 'Web UI',
  method,
  url: `/rps/api/v1/admin/${rest}`,
  arrivesAt: 'rps',
  port: 8081,
  path: `/api/v1/admin/${rest.split('?')[0]}`,
  jwtAtGateway: true,
});

/** The cloud build's MPS calls (open-amt-traffic.md §1, A2 list). */
const DEVICE_API: ClientRequest[] = [
  ['GET', 'devices?$top=25&$skip=0&$count=true&tags=lab'],
  ['POST', 'devices'],
  ['PATCH', 'devices'],
  ['GET', 'devices/stats'],
  ['GET', 'devices/tags'],
  ['GET', `devices/${GUID}`],
  ['GET', `devices/redirectstatus/${GUID}`],
  ['GET', `authorize/redirection/${GUID}`],
  ['GET', 'ciracert'],
  ['GET', 'version'],
  ...[
    'generalSettings',
    'version',
    'hardwareInfo',
    'power/state',
    'power/bootSources',
    'networkSettings',
    'network/wireless/state',
  ].map((a): [string, string] => ['GET', `amt/${a}/${GUID}`]),
  ['GET', `amt/features/${GUID}`],
  ['POST', `amt/features/${GUID}`],
  ['POST', `amt/power/action/${GUID}`],
  ['POST', `amt/power/bootOptions/${GUID}`],
  ['GET', `amt/userConsentCode/${GUID}`],
  ['POST', `amt/userConsentCode/${GUID}`],
  ['GET', `amt/userConsentCode/cancel/${GUID}`],
  ['GET', `amt/alarmOccurrences/${GUID}`],
  ['POST', `amt/alarmOccurrences/${GUID}`],
  ['DELETE', `amt/alarmOccurrences/${GUID}`],
  ['GET', `amt/certificates/${GUID}`],
  ['POST', `amt/certificates/${GUID}`],
  ['DELETE', `amt/certificates/${GUID}/Intel_AMT_Certificate_Handle_2`],
  ['GET', `amt/kvm/displays/${GUID}`],
  ['PUT', `amt/kvm/displays/${GUID}`],
  ['GET', `amt/network/wired/${GUID}`],
  ['PATCH', `amt/network/wired/${GUID}`],
  ['POST', `amt/network/wireless/profileSync/${GUID}`],
  ['GET', `amt/network/wireless/profile/${GUID}`],
  ['POST', `amt/network/wireless/profile/${GUID}`],
  ['PATCH', `amt/network/wireless/profile/${GUID}`],
  ['DELETE', `amt/network/wireless/profile/${GUID}/office`],
  ['GET', `amt/log/audit/${GUID}?startIndex=1`],
  ['GET', `amt/log/event/${GUID}?$skip=0&$top=25`],
  ['DELETE', `amt/deactivate/${GUID}`],
].map(([method, rest]) => mpsApi(method, rest));

/** The Web UI's RPS calls: every configuration kind's list, read, create, update, delete (A4 list). */
const PROVISIONING_API: ClientRequest[] = [
  rpsApi('GET', 'version'),
  ...[
    'profiles',
    'ciraconfigs',
    'domains',
    'wirelessconfigs',
    'ieee8021xconfigs',
    'proxyconfigs',
  ].flatMap(kind => [
    rpsApi('GET', `${kind}?$top=25&$skip=0&$count=true`),
    rpsApi('GET', `${kind}/example`),
    rpsApi('POST', kind),
    rpsApi('PATCH', kind),
    rpsApi('DELETE', `${kind}/example`),
  ]),
  rpsApi('GET', 'profiles/export/desktop?domainName=example.com'),
];

export const CLIENT_REQUESTS: ClientRequest[] = [
  {
    id: 'A1 login',
    flow: 'login',
    who: 'Web UI',
    method: 'POST',
    url: '/mps/login/api/v1/authorize',
    arrivesAt: 'mps',
    port: 3000,
    path: '/api/v1/authorize',
    jwtAtGateway: false,
  },
  ...DEVICE_API,
  ...(['kvm', 'sol', 'ider'] as const).map(
    (mode): ClientRequest => ({
      id: `A3 relay ${mode}`,
      flow: 'remote-console',
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
  ...PROVISIONING_API,
  ...['/activate', '/deactivate', '/maintenance'].map(
    (url): ClientRequest => ({
      id: `C1 rpc-go ${url}`,
      flow: 'activation',
      who: 'rpc-go',
      method: 'GET',
      url,
      websocket: true,
      arrivesAt: 'rps',
      port: 8080,
      jwtAtGateway: false,
    }),
  ),
  {
    id: 'S deep link',
    flow: 'web-ui',
    who: 'browser',
    method: 'GET',
    url: `/devices/${GUID}`,
    arrivesAt: 'webui',
    port: 80,
    // Unchanged: nginx's SPA fallback serves index.html for it (webUiNginx rule, webuiNginx.test.ts with real nginx).
    path: `/devices/${GUID}`,
    jwtAtGateway: false,
  },
  {
    id: 'S index',
    flow: 'web-ui',
    who: 'browser',
    method: 'GET',
    url: '/',
    arrivesAt: 'webui',
    port: 80,
    path: '/',
    jwtAtGateway: false,
  },
];
