/**
 * Azure API Management as Bicep: the service, a secret named value for the JWT key (a @secure()
 * parameter, never a literal), one API per route (websocket APIs for the ws routes), validate-jwt on the
 * JWT routes. API Management has no TCP proxy, so on a VM target the Bicep also creates the Azure L4 load
 * balancer for CIRA 4433; on AKS/Kubernetes that load balancer is the mps-cira Service instead.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  isProviderSection,
  releaseOf,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { RenderedFile } from '../types';
import type { GatewayRenderer } from './types';
import { gatewayUpstreamHost, upstreamUrl } from './upstreams';

const bicepName = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');
const xmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function validateJwtPolicy(issuer: string): string {
  return [
    '<policies>',
    '  <inbound>',
    '    <base />',
    '    <validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401" require-expiration-time="true" require-signed-tokens="true">',
    '      <issuer-signing-keys>',
    '        <key>{{jwt-signing-key}}</key>',
    '      </issuer-signing-keys>',
    '      <issuers>',
    `        <issuer>${xmlEscape(issuer)}</issuer>`,
    '      </issuers>',
    '    </validate-jwt>',
    '  </inbound>',
    '  <backend><base /></backend>',
    '  <outbound><base /></outbound>',
    '  <on-error><base /></on-error>',
    '</policies>',
  ].join('\n');
}

export function renderAzureApim(spec: DeploymentSpec): RenderedFile[] {
  if (!isProviderSection(spec.gateway, 'azure-apim')) return [];
  const gw = spec.gateway;
  const lines: string[] = [
    `// Azure API Management for Open AMT deployment ${spec.name}.`,
    '// Deploy: az deployment group create -g <rg> -f apim.bicep -p jwtSigningKeyBase64=<base64 of the JWT secret from the store> subnetResourceId=<subnet id>',
    `param location string = '${gw.location}'`,
    `param serviceName string = '${gw.serviceName}'`,
    "param publisherEmail string = 'ops@example.com'",
    '@secure()',
    "@description('Base64 of MPS_JWT_SECRET, read from the secrets store at deploy time; never committed.')",
    'param jwtSigningKeyBase64 string',
    "@description('A subnet delegated to Microsoft.Web/serverFarms in a virtual network that reaches the internal load balancers (the services are not on the internet).')",
    'param subnetResourceId string',
    '',
    "resource apim 'Microsoft.ApiManagement/service@2023-05-01-preview' = {",
    '  name: serviceName',
    '  location: location',
    "  sku: { name: 'StandardV2', capacity: 1 }",
    '  properties: {',
    "    publisherEmail: publisherEmail, publisherName: 'Open AMT'",
    '    // Outbound virtual network integration: the backends are private names.',
    "    virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetResourceId: subnetResourceId }",
    '  }',
    '}',
    '',
    "resource jwtKey 'Microsoft.ApiManagement/service/namedValues@2023-05-01-preview' = {",
    '  parent: apim',
    "  name: 'jwt-signing-key'",
    "  properties: { displayName: 'jwt-signing-key', secret: true, value: jwtSigningKeyBase64 }",
    '}',
  ];
  for (const route of releaseOf(spec).gatewayRoutes) {
    const id = bicepName(route.name);
    const ws = route.websocket;
    // A WebSocket API answers only its own path (its one onHandshake operation is `GET /`): a rewritten prefix becomes
    // the exact path clients open (the relay's one file).
    const file = ws ? route.clientPath ?? '' : '';
    const url = `${upstreamUrl(
      gatewayUpstreamHost(spec, route.upstream.service),
      route,
    )}${file}`.replace(/^http:/, ws ? 'ws:' : 'http:');
    lines.push(
      '',
      `resource api_${id} 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = {`,
      '  parent: apim',
      `  name: '${route.name}'`,
      '  properties: {',
      `    displayName: '${route.name}'`,
      `    path: '${`${route.path}${file}`.replace(/^\//, '')}'`,
      `    serviceUrl: '${url}'`,
      `    protocols: [ '${ws ? 'wss' : 'https'}' ]`,
      ...(ws ? ["    type: 'websocket'"] : []),
      '    subscriptionRequired: false',
      '  }',
      '}',
    );
    if (!ws) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        lines.push(
          `resource op_${id}_${method.toLowerCase()} 'Microsoft.ApiManagement/service/apis/operations@2023-05-01-preview' = {`,
          `  parent: api_${id}`,
          `  name: '${method.toLowerCase()}-all'`,
          `  properties: { displayName: '${method} /*', method: '${method}', urlTemplate: '/*' }`,
          '}',
        );
      }
    }
    if (route.jwt) {
      lines.push(
        `resource policy_${id} 'Microsoft.ApiManagement/service/apis/policies@2023-05-01-preview' = {`,
        `  parent: api_${id}`,
        "  name: 'policy'",
        `  dependsOn: [ jwtKey ]`,
        "  properties: { format: 'rawxml', value: loadTextContent('validate-jwt.xml') }",
        '}',
      );
    }
  }
  if (TARGETS[spec.target].platform === 'compose') {
    lines.push(
      '',
      '// API Management cannot carry raw TLS: CIRA (TCP 4433) goes through this L4 load balancer.',
      '// Add the VM network interface to the backend pool `mps` (runbook step).',
      "resource ciraIp 'Microsoft.Network/publicIPAddresses@2023-09-01' = {",
      `  name: '${spec.name}-cira-ip'`,
      '  location: location',
      "  sku: { name: 'Standard' }",
      "  properties: { publicIPAllocationMethod: 'Static' }",
      '}',
      "resource ciraLb 'Microsoft.Network/loadBalancers@2023-09-01' = {",
      `  name: '${spec.name}-cira-lb'`,
      '  location: location',
      "  sku: { name: 'Standard' }",
      '  properties: {',
      "    frontendIPConfigurations: [ { name: 'cira', properties: { publicIPAddress: { id: ciraIp.id } } } ]",
      "    backendAddressPools: [ { name: 'mps' } ]",
      `    probes: [ { name: 'cira', properties: { protocol: 'Tcp', port: ${CIRA_PORT}, intervalInSeconds: 5 } } ]`,
      '    loadBalancingRules: [ {',
      "      name: 'cira'",
      '      properties: {',
      `        protocol: 'Tcp', frontendPort: ${CIRA_PORT}, backendPort: ${CIRA_PORT}`,
      `        frontendIPConfiguration: { id: resourceId('Microsoft.Network/loadBalancers/frontendIPConfigurations', '${spec.name}-cira-lb', 'cira') }`,
      `        backendAddressPool: { id: resourceId('Microsoft.Network/loadBalancers/backendAddressPools', '${spec.name}-cira-lb', 'mps') }`,
      `        probe: { id: resourceId('Microsoft.Network/loadBalancers/probes', '${spec.name}-cira-lb', 'cira') }`,
      '      }',
      '    } ]',
      '  }',
      '}',
      'output ciraPublicIp string = ciraIp.properties.ipAddress',
    );
  }
  lines.push('', 'output gatewayUrl string = apim.properties.gatewayUrl', '');
  return [
    { path: 'gateway/azure-apim/apim.bicep', content: lines.join('\n') },
    {
      path: 'gateway/azure-apim/validate-jwt.xml',
      content: `${validateJwtPolicy(spec.jwtIssuer)}\n`,
    },
  ];
}

export const azureApimRenderer: GatewayRenderer = {
  info: GATEWAY_PROVIDERS['azure-apim'],
  files: renderAzureApim,
  // The named value jwt-signing-key is set at deploy time from the store (apim.bicep's jwtSigningKeyBase64).
  jwtReload: {
    manual:
      'deploy gateway/azure-apim/apim.bicep again with jwtSigningKeyBase64 read from the new version (the named value jwt-signing-key holds the old secret until then)',
  },
  probeUrl(spec) {
    const g = isProviderSection(spec.gateway, 'azure-apim')
      ? spec.gateway
      : undefined;
    return `https://${g?.serviceName}.azure-api.net/status-0123456789abcdef`;
  },
  runbookSteps: () => [
    'Deploy `gateway/azure-apim/apim.bicep` with `jwtSigningKeyBase64` read from the store at deploy time (never saved) and `subnetResourceId` = a subnet delegated to `Microsoft.Web/serverFarms` in a virtual network that reaches the internal load balancers and resolves their private names (API Management is integrated with it for outbound calls).',
  ],
};
