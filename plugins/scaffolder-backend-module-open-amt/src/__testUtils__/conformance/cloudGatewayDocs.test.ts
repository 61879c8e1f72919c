/**
 * The API Gateway and API Management models against their vendors' documented examples (documentation only: these
 * products are not run here, and their registry rows say so in `notVerified`).
 */
import { parseDeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { specFor } from '../specs';
import {
  awsApiGatewayTrafficModel,
  awsDialect,
} from './gateways/awsApiGateway';
import {
  azureApimTrafficModel,
  validateJwtProblem,
} from './gateways/azureApim';
import { inject, rendered } from './fixtures';
import { gatewayTrafficRule } from './rules/gatewayTraffic';
import { matchPath } from './gateways/openApiPaths';
import { RenderedOutput } from './output';
import type { ClientRequest } from './traffic';

const BICEP = 'gateway/azure-apim/apim.bicep';

const get = (url: string, websocket = false): ClientRequest => ({
  id: url,
  flow: 'device-api',
  who: 'docs example',
  method: 'GET',
  url,
  websocket,
  arrivesAt: 'mps',
  port: 0,
  jwtAtGateway: false,
});

describe('Amazon API Gateway (developer guide)', () => {
  // "Set up a proxy integration with a proxy resource": /parent/{proxy+} stands for any child resource of /parent,
  // i.e. /parent/*; the parent itself is another resource.
  it('/parent/{proxy+} takes /parent/* at any depth, never /parent', () => {
    const paths = { '/parent/{proxy+}': {} };
    expect(matchPath(paths, '/parent/a', awsDialect)?.params).toEqual({
      proxy: 'a',
    });
    expect(matchPath(paths, '/parent/a/b', awsDialect)?.params).toEqual({
      proxy: 'a/b',
    });
    expect(matchPath(paths, '/parent', awsDialect)).toBeUndefined();
  });

  // "Tutorial: Create a REST API with an HTTP proxy integration": resource /{proxy+}, ANY, HTTP_PROXY to
  // http://petstore-demo-endpoint.execute-api.com/{proxy}; GET /petstore/pets?type=fish reaches
  // http://petstore-demo-endpoint.execute-api.com/petstore/pets?type=fish.
  it('the PetStore HTTP proxy example', () => {
    const spec = parseDeploymentSpec(
      specFor({
        database: 'postgresql',
        secrets: 'vault',
        gateway: 'aws-api-gateway',
        target: 'compose',
      }),
    );
    const openapi = {
      openapi: '3.0.1',
      paths: {
        '/{proxy+}': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'ANY',
              uri: 'http://petstore-demo-endpoint.execute-api.com/{proxy}',
              requestParameters: {
                'integration.request.path.proxy': 'method.request.path.proxy',
              },
            },
          },
        },
      },
    };
    const stack = `Resources:\n  Domain:\n    Type: AWS::ApiGateway::DomainName\n    Properties:\n      DomainName: ${spec.gateway.publicHost}\n  Mapping:\n    Type: AWS::ApiGateway::BasePathMapping\n    Properties:\n      DomainName: { Ref: Domain }\n`;
    const out = new RenderedOutput(spec, [
      {
        path: 'gateway/aws-api-gateway/openapi.json',
        content: JSON.stringify(openapi),
      },
      { path: 'gateway/aws-api-gateway/api.cfn.yaml', content: stack },
    ]);
    expect(
      awsApiGatewayTrafficModel.route(out, get('/petstore/pets?type=fish')),
    ).toMatchObject({
      upstream: {
        host: 'petstore-demo-endpoint.execute-api.com',
        path: '/petstore/pets',
        query: 'type=fish',
      },
    });
  });
});

describe('Azure API Management (learn.microsoft.com)', () => {
  const spec = parseDeploymentSpec(
    specFor({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'azure-apim',
      target: 'compose',
    }),
  );
  // "Import and publish your first API": the Demo Conference API at suffix `conference` with backend
  // https://conferenceapi.azurewebsites.net; `GET /conference/sessions` is GetSessions, sent to <backend>/sessions.
  // "Add a wildcard operation": URL template `/*` takes every path of its method. "Import a WebSocket API": the
  // WebSocket URL (e.g. ws://echo.websocket.org) is the backend of the API's one onHandshake operation.
  const bicep = [
    "resource conference 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = {",
    "  path: 'conference'",
    "  serviceUrl: 'https://conferenceapi.azurewebsites.net'",
    '}',
    "resource wildcard 'Microsoft.ApiManagement/service/apis/operations@2023-05-01-preview' = {",
    '  parent: conference',
    "  properties: { method: 'GET', urlTemplate: '/*' }",
    '}',
    "resource echo 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = {",
    "  path: 'echo'",
    "  serviceUrl: 'ws://echo.websocket.org'",
    "  type: 'websocket'",
    '}',
    "virtualNetworkType: 'External'",
  ].join('\n');
  const out = new RenderedOutput(spec, [
    { path: 'gateway/azure-apim/apim.bicep', content: bicep },
  ]);

  it('an HTTP API: the URL suffix selects it, the rest of the path follows the service URL', () => {
    expect(
      azureApimTrafficModel.route(out, get('/conference/sessions?day=1')),
    ).toMatchObject({
      upstream: {
        host: 'conferenceapi.azurewebsites.net',
        path: '/sessions',
        query: 'day=1',
      },
    });
    expect(azureApimTrafficModel.route(out, get('/other'))).toEqual({
      refused: 'matches no API URL suffix (API Management answers 404)',
    });
  });

  it('a WebSocket API answers its handshake on its suffix only', () => {
    expect(azureApimTrafficModel.route(out, get('/echo', true))).toMatchObject({
      upstream: { host: 'echo.websocket.org' },
    });
    expect(
      'refused' in azureApimTrafficModel.route(out, get('/echo/more', true)),
    ).toBe(true);
  });
});

describe('API Management validate-jwt (policy reference, "Simple token validation")', () => {
  const apim = rendered({
    database: 'postgresql',
    secrets: 'vault',
    gateway: 'azure-apim',
    target: 'aks',
  });
  const xml = 'gateway/azure-apim/validate-jwt.xml';
  const check = (out: RenderedOutput) =>
    gatewayTrafficRule.check(out).join('\n');

  it("accepts the Web UI's MPS tokens as rendered", () => {
    expect(validateJwtProblem(apim, apim.file(BICEP)!)).toBeUndefined();
    expect(check(apim)).toBe('');
  });

  it('refuses them from another header, another issuer, or a key that is not the secret named value', () => {
    expect(
      check(
        inject(
          apim,
          xml,
          'header-name="Authorization"',
          'header-name="X-Token"',
        ),
      ),
    ).toMatch(
      /A2 GET \/mps\/api\/v1\/devices.*validate-jwt reads the token from X-Token, the Web UI sends it in Authorization \(401\)/,
    );
    expect(
      check(
        inject(
          apim,
          xml,
          /<issuer>[^<]*<\/issuer>/,
          '<issuer>someone-else</issuer>',
        ),
      ),
    ).toMatch(/validate-jwt accepts the issuers someone-else, MPS signs with/);
    expect(
      check(inject(apim, xml, '{{jwt-signing-key}}', '{{other-key}}')),
    ).toMatch(
      /validate-jwt's key \{\{other-key\}\} is not the secret named value/,
    );
  });
});
