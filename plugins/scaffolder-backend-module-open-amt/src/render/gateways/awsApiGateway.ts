/**
 * Amazon API Gateway (REST API) as OpenAPI 3 with x-amazon-apigateway-integration (http_proxy to the
 * services) and a Lambda TOKEN authorizer, because API Gateway's JWT authorizers only verify asymmetric
 * keys and MPS signs HS256. A CloudFormation stack creates the authorizer (it reads the JWT secret from
 * Secrets Manager at run time, so the value is in no file) and imports the OpenAPI body.
 * API Gateway's WebSocket APIs are not transparent proxies and it has no TCP: an ALB carries the
 * websocket routes and an NLB carries CIRA 4433 (load-balancers.cfn.yaml on a VM target; Kubernetes
 * Services/Ingress on EKS).
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  isProviderSection,
  releaseOf,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { secretStoreRendererOf } from '../providers';
import { entryRef } from '../refs';
import { RenderedFile } from '../types';
import { toYaml } from '../yaml';
import type { GatewayRenderer } from './types';
import {
  backendHost,
  gatewayUpstreamHost,
  upstreamUrl,
  websocketHost,
} from './upstreams';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const AUTHORIZER_URI =
  'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${JwtAuthorizer.Arn}/invocations';

/**
 * The services' private names are reachable only through a private integration: a VPC link to an internal Network
 * Load Balancer (a REST API's VPC link targets exactly one), one per private host, chosen per stage by a variable.
 */
function vpcLinkKey(spec: DeploymentSpec, host: string): string {
  const first = host === backendHost(spec) ? 'internal' : host.split('.')[0];
  return first.charAt(0).toUpperCase() + first.slice(1);
}

function privateHosts(spec: DeploymentSpec): string[] {
  const routes = releaseOf(spec).gatewayRoutes.filter(r => !r.websocket);
  return [
    ...new Set(routes.map(r => gatewayUpstreamHost(spec, r.upstream.service))),
  ];
}

function operation(
  method: string,
  uri: string,
  jwt: boolean,
  proxyParam: boolean,
  vpcLink: string,
) {
  return {
    operationId: undefined as string | undefined,
    ...(proxyParam
      ? {
          parameters: [
            {
              name: 'proxy',
              in: 'path',
              required: true,
              schema: { type: 'string' },
            },
          ],
        }
      : {}),
    ...(jwt ? { security: [{ 'open-amt-jwt': [] }] } : {}),
    responses: { default: { description: 'Proxied response' } },
    'x-amazon-apigateway-integration': {
      type: 'http_proxy',
      httpMethod: method.toUpperCase(),
      uri,
      passthroughBehavior: 'when_no_match',
      connectionType: 'VPC_LINK',
      connectionId: `\${stageVariables.vpcLink${vpcLink}}`,
      ...(proxyParam
        ? {
            requestParameters: {
              'integration.request.path.proxy': 'method.request.path.proxy',
            },
          }
        : {}),
    },
  };
}

export function buildAwsOpenApi(spec: DeploymentSpec) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of releaseOf(spec).gatewayRoutes.filter(r => !r.websocket)) {
    const host = gatewayUpstreamHost(spec, route.upstream.service);
    const base = upstreamUrl(host, route);
    const exact = route.upstream.path !== undefined;
    const prefix = route.path === '/' ? '' : route.path;
    const variants: [string, string, boolean][] = exact
      ? [[route.path, base, false]]
      : [
          [route.path, `${base}/`, false],
          [`${prefix}/{proxy+}`, `${base}/{proxy}`, true],
        ];
    for (const [path, uri, proxy] of variants) {
      const item: Record<string, unknown> = {};
      for (const m of exact && route.name === 'mps-login'
        ? (['post'] as const)
        : METHODS) {
        const op = operation(m, uri, route.jwt, proxy, vpcLinkKey(spec, host));
        op.operationId = `${m}${path.replace(/[^A-Za-z0-9]+/g, '_')}`;
        item[m] = op;
      }
      paths[path] = item;
    }
  }
  return {
    openapi: '3.0.1',
    info: {
      title: `${spec.name}-open-amt`,
      version: '1.0.0',
      description: `Open AMT ${spec.name}: MPS and RPS REST through API Gateway.`,
    },
    servers: [{ url: `https://${spec.gateway.publicHost}` }],
    paths,
    components: {
      securitySchemes: {
        'open-amt-jwt': {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: AUTHORIZER_URI,
            authorizerResultTtlInSeconds: 300,
            identityValidationExpression: '^Bearer [-0-9A-Za-z_.]+$',
          },
        },
      },
    },
    'x-amazon-apigateway-binary-media-types': ['application/octet-stream'],
  };
}

/** HS256 check with Node's crypto: signature, exp and iss (= MPS issuer); the key comes from Secrets Manager. */
export const AUTHORIZER_SOURCE = `const crypto = require('crypto');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const sm = new SecretsManagerClient({});
let cached;
async function key() {
  if (!cached) {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: process.env.JWT_SECRET_ID }));
    cached = JSON.parse(out.SecretString);
  }
  return cached;
}
const b64url = b => Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/\\+/g, '-').replace(/\\//g, '_');
exports.handler = async event => {
  const token = String(event.authorizationToken || '').replace(/^Bearer /, '');
  const [h, p, s] = token.split('.');
  const { secret, key: issuer } = await key();
  const expected = b64url(crypto.createHmac('sha256', secret).update(h + '.' + p).digest());
  const claims = JSON.parse(Buffer.from(p || '', 'base64').toString() || '{}');
  const ok = s && expected.length === s.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(s))
    && claims.iss === issuer && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
  if (!ok) throw new Error('Unauthorized');
  return { principalId: claims.tenantId || 'open-amt', policyDocument: { Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] } };
};
`;

/**
 * What the authorizer may do: read the JWT secret, and decrypt it where it is encrypted with the deployment's own KMS key
 * (Secrets Manager decrypts with the caller's permission on a customer-managed key; the AWS-managed key needs none).
 */
function authorizerStatements(spec: DeploymentSpec) {
  const statements: Array<Record<string, unknown>> = [
    {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: { Ref: 'JwtSecretArn' },
    },
  ];
  if (isProviderSection(spec.secrets, 'aws-kms')) {
    const key = spec.secrets.kmsKeyId;
    const arn = key.startsWith('arn:')
      ? key
      : {
          'Fn::Sub': `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${key}`,
        };
    statements.push({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn });
  }
  return statements;
}

export function buildAwsGatewayStack(spec: DeploymentSpec) {
  if (!isProviderSection(spec.gateway, 'aws-api-gateway'))
    throw new Error('not an API Gateway spec');
  const openapi = buildAwsOpenApi(spec);
  const auth =
    openapi.components.securitySchemes['open-amt-jwt'][
      'x-amazon-apigateway-authorizer'
    ];
  const body = {
    ...openapi,
    components: {
      securitySchemes: {
        'open-amt-jwt': {
          ...openapi.components.securitySchemes['open-amt-jwt'],
          'x-amazon-apigateway-authorizer': {
            ...auth,
            authorizerUri: { 'Fn::Sub': AUTHORIZER_URI },
          },
        },
      },
    },
  };
  const hosts = privateHosts(spec);
  const links = Object.fromEntries(
    hosts.map(host => [
      `VpcLink${vpcLinkKey(spec, host)}`,
      {
        Type: 'AWS::ApiGateway::VpcLink',
        Properties: {
          Name: `${spec.name}-${vpcLinkKey(spec, host).toLowerCase()}`,
          TargetArns: [{ Ref: `${vpcLinkKey(spec, host)}NlbArn` }],
        },
      },
    ]),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Open AMT ${spec.name}: API Gateway REST API with an HS256 Lambda authorizer`,
    Parameters: {
      JwtSecretArn: {
        Type: 'String',
        Description: `ARN of the secret behind ${entryRef(spec, 'jwt')}`,
      },
      StageName: { Type: 'String', Default: spec.gateway.stageName },
      CertificateArn: {
        Type: 'String',
        Description: `ARN of the ACM certificate (this region) for ${spec.gateway.publicHost}`,
      },
      ...Object.fromEntries(
        hosts.map(host => [
          `${vpcLinkKey(spec, host)}NlbArn`,
          {
            Type: 'String',
            Description: `ARN of the internal Network Load Balancer that answers ${host}`,
          },
        ]),
      ),
    },
    Resources: {
      ...links,
      AuthorizerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'lambda.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          ManagedPolicyArns: [
            'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
          Policies: [
            {
              PolicyName: 'read-jwt-secret',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: authorizerStatements(spec),
              },
            },
          ],
        },
      },
      JwtAuthorizer: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': ['AuthorizerRole', 'Arn'] },
          Environment: {
            Variables: { JWT_SECRET_ID: { Ref: 'JwtSecretArn' } },
          },
          Code: { ZipFile: AUTHORIZER_SOURCE },
        },
      },
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: `${spec.name}-open-amt`, Body: body },
      },
      AuthorizerPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { Ref: 'JwtAuthorizer' },
          Principal: 'apigateway.amazonaws.com',
        },
      },
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: { Ref: 'Api' } },
      },
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          RestApiId: { Ref: 'Api' },
          DeploymentId: { Ref: 'Deployment' },
          StageName: { Ref: 'StageName' },
          Variables: Object.fromEntries(
            hosts.map(host => [
              `vpcLink${vpcLinkKey(spec, host)}`,
              { Ref: `VpcLink${vpcLinkKey(spec, host)}` },
            ]),
          ),
        },
      },
      // The Web UI's origin: the public host maps to the stage at the root, so /mps/…, /rps/… and / keep their paths.
      Domain: {
        Type: 'AWS::ApiGateway::DomainName',
        Properties: {
          DomainName: spec.gateway.publicHost,
          RegionalCertificateArn: { Ref: 'CertificateArn' },
          EndpointConfiguration: { Types: ['REGIONAL'] },
        },
      },
      BasePathMapping: {
        Type: 'AWS::ApiGateway::BasePathMapping',
        Properties: {
          DomainName: { Ref: 'Domain' },
          RestApiId: { Ref: 'Api' },
          Stage: { Ref: 'Stage' },
        },
      },
    },
    Outputs: {
      InvokeUrl: {
        Value: {
          'Fn::Sub':
            'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/${StageName}',
        },
      },
      DomainTarget: {
        Description: `Where the DNS record of ${spec.gateway.publicHost} points`,
        Value: { 'Fn::GetAtt': ['Domain', 'RegionalDomainName'] },
      },
    },
  };
}

/** VM target only: ALB for the websocket routes, NLB passing TCP 4433 through (no TLS termination). */
export function buildAwsLoadBalancers(spec: DeploymentSpec) {
  const wsRoutes = releaseOf(spec).gatewayRoutes.filter(r => r.websocket);
  const resources: Record<string, unknown> = {
    CiraNlb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'network',
        Scheme: 'internet-facing',
        Subnets: { Ref: 'PublicSubnets' },
      },
    },
    CiraTargets: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Protocol: 'TCP',
        Port: CIRA_PORT,
        VpcId: { Ref: 'VpcId' },
        TargetType: 'instance',
        Targets: [{ Id: { Ref: 'InstanceId' } }],
      },
    },
    CiraListener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'CiraNlb' },
        Protocol: 'TCP',
        Port: CIRA_PORT,
        DefaultActions: [
          { Type: 'forward', TargetGroupArn: { Ref: 'CiraTargets' } },
        ],
      },
    },
    // The VPC link's target: API Gateway reaches the VM's REST ports through it, never over the internet.
    InternalNlb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'network',
        Scheme: 'internal',
        Subnets: { Ref: 'PrivateSubnets' },
      },
    },
    WsAlb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: { Ref: 'PublicSubnets' },
      },
    },
    WsListener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'WsAlb' },
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }],
        DefaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: { StatusCode: '404' },
          },
        ],
      },
    },
  };
  const restPorts = [
    ...new Set(
      releaseOf(spec)
        .gatewayRoutes.filter(r => !r.websocket)
        .map(r => r.upstream.port),
    ),
  ];
  for (const port of restPorts) {
    resources[`InternalTargets${port}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Protocol: 'TCP',
        Port: port,
        VpcId: { Ref: 'VpcId' },
        TargetType: 'instance',
        Targets: [{ Id: { Ref: 'InstanceId' } }],
      },
    };
    resources[`InternalListener${port}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'InternalNlb' },
        Protocol: 'TCP',
        Port: port,
        DefaultActions: [
          {
            Type: 'forward',
            TargetGroupArn: { Ref: `InternalTargets${port}` },
          },
        ],
      },
    };
  }
  wsRoutes.forEach((route, i) => {
    const tg = `WsTargets${i}`;
    resources[tg] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Protocol: 'HTTP',
        Port: route.upstream.port,
        VpcId: { Ref: 'VpcId' },
        TargetType: 'instance',
        Targets: [{ Id: { Ref: 'InstanceId' } }],
      },
    };
    resources[`WsRule${i}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: { Ref: 'WsListener' },
        Priority: i + 1,
        Conditions: [
          {
            Field: 'path-pattern',
            PathPatternConfig: { Values: [route.path, `${route.path}/*`] },
          },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: tg } }],
      },
    };
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Open AMT ${spec.name}: what API Gateway cannot carry (websockets, CIRA TCP ${CIRA_PORT})`,
    Parameters: {
      VpcId: { Type: 'AWS::EC2::VPC::Id' },
      PublicSubnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
      PrivateSubnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
      InstanceId: { Type: 'AWS::EC2::Instance::Id' },
      CertificateArn: { Type: 'String' },
    },
    Resources: resources,
    Outputs: {
      CiraDns: { Value: { 'Fn::GetAtt': ['CiraNlb', 'DNSName'] } },
      WebsocketDns: {
        Description: `Where the DNS record of ${websocketHost(spec)} points`,
        Value: { 'Fn::GetAtt': ['WsAlb', 'DNSName'] },
      },
      InternalNlbArn: {
        Description: 'InternalNlbArn of api.cfn.yaml',
        Value: { Ref: 'InternalNlb' },
      },
    },
  };
}

export function renderAwsApiGateway(spec: DeploymentSpec): RenderedFile[] {
  const files: RenderedFile[] = [
    {
      path: 'gateway/aws-api-gateway/openapi.json',
      content: `${JSON.stringify(buildAwsOpenApi(spec), null, 2)}\n`,
    },
    {
      path: 'gateway/aws-api-gateway/api.cfn.yaml',
      content: toYaml(buildAwsGatewayStack(spec)),
    },
  ];
  if (TARGETS[spec.target].platform === 'compose') {
    files.push({
      path: 'gateway/aws-api-gateway/load-balancers.cfn.yaml',
      content: toYaml(buildAwsLoadBalancers(spec)),
    });
  }
  return files;
}

/** The runbook's steps for API Gateway, in the order they can run: every parameter of both stacks has its source. */
function deploySteps(
  spec: DeploymentSpec,
  copyOrReadJwtStep: string,
): string[] {
  const compose = TARGETS[spec.target].platform === 'compose';
  const arns = privateHosts(spec).map(host => {
    const key = vpcLinkKey(spec, host);
    if (compose)
      return `\`${key}NlbArn\` = the \`InternalNlbArn\` output of load-balancers.cfn.yaml`;
    const svc = host.split('.')[0];
    return `\`${key}NlbArn\` = \`aws elbv2 describe-load-balancers --query "LoadBalancers[?DNSName=='$(kubectl -n ${spec.namespace} get svc ${svc} -o jsonpath='{.status.loadBalancer.ingress[0].hostname}')'].LoadBalancerArn" --output text\``;
  });
  return [
    ...(compose
      ? [
          `Deploy \`gateway/aws-api-gateway/load-balancers.cfn.yaml\` (VpcId, PublicSubnets, PrivateSubnets, InstanceId of the VM, CertificateArn of an ACM certificate for \`${websocketHost(
            spec,
          )}\`).`,
        ]
      : []),
    copyOrReadJwtStep,
    `Deploy \`gateway/aws-api-gateway/api.cfn.yaml\` with \`JwtSecretArn\` (above), \`CertificateArn\` = an ACM certificate in the API's region for \`${
      spec.gateway.publicHost
    }\`, and the internal Network Load Balancers its VPC links reach the services through: ${arns.join(
      '; ',
    )}.`,
    `DNS: \`${
      spec.gateway.publicHost
    }\` → the stack's \`DomainTarget\` output (the custom domain); \`${websocketHost(
      spec,
    )}\` → ${
      compose
        ? 'the `WebsocketDns` output of load-balancers.cfn.yaml'
        : 'the ALB of the Ingress `open-amt-websockets`'
    }. rpc-go activates with \`rpc activate -u wss://${websocketHost(
      spec,
    )}/activate …\`; the Web UI's remote console does not work (see Limitations).`,
  ];
}

/** The Lambda authorizer reads Secrets Manager: the deployment's own entry when that is its store, else a copy. */
function apiRegion(spec: DeploymentSpec): string {
  if (!isProviderSection(spec.gateway, 'aws-api-gateway'))
    throw new Error('not an API Gateway spec');
  return spec.gateway.region;
}

function jwtSecretStep(spec: DeploymentSpec): string {
  return isProviderSection(spec.secrets, 'aws-kms')
    ? `The Lambda authorizer reads \`${entryRef(
        spec,
        'jwt',
      )}\` itself (it may read and decrypt it with the deployment's KMS key): \`JwtSecretArn\` is that secret's ARN.`
    : `Copy the JWT entry into Secrets Manager in the API's region (the Lambda authorizer's client reads its own region) for the Lambda authorizer, which cannot read ${
        secretStoreRendererOf(spec).info.label
      }: \`aws secretsmanager create-secret --region ${apiRegion(
        spec,
      )} --name ${spec.name}-jwt --secret-string "$(${secretStoreRendererOf(
        spec,
      ).readCommand(
        spec,
        'jwt',
      )})"\` (again with \`put-secret-value\` after every rotation); \`JwtSecretArn\` is its ARN.`;
}

export const awsApiGatewayRenderer: GatewayRenderer = {
  info: GATEWAY_PROVIDERS['aws-api-gateway'],
  files: renderAwsApiGateway,
  // The authorizer caches the entry per warm instance (AUTHORIZER_SOURCE: `cached`), so only new instances read it.
  jwtReload: {
    manual:
      'make the Lambda authorizer start new instances, e.g. `aws lambda update-function-configuration --function-name <authorizer> --description "jwt rotated $(date +%s)"` (warm instances cache the old secret)',
  },
  probeUrl(spec) {
    const g = isProviderSection(spec.gateway, 'aws-api-gateway')
      ? spec.gateway
      : undefined;
    return g?.invokeUrl ?? `https://${spec.gateway.publicHost}`;
  },
  runbookSteps: spec => deploySteps(spec, jwtSecretStep(spec)),
};
