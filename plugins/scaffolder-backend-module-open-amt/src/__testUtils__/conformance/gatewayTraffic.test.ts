/**
 * The gateway models against their vendors' documented examples, and the traffic rule failing on each defect it
 * guards, per gateway.
 */
import { GATEWAY_PROVIDERS } from '@open-amt-backstage/plugin-open-amt-common';
import { inject, rendered, renderedGateway } from './fixtures';
import type { RenderedOutput } from './output';
import { awsDialect } from './gateways/awsApiGateway';
import { matchPath } from './gateways/openApiPaths';
import { spawnSync } from 'child_process';
import { load } from 'js-yaml';
import { rmSync } from 'fs';
import {
  DOCKER_COMPOSE,
  requireDockerCompose,
} from '../validators/dockerCompose';
import { composeTree } from '../validators/renderedTree';
import { gatewayTrafficRule } from './rules/gatewayTraffic';
import { tykStartupRule } from './rules/tykStartup';

const combo = (gateway: string, target: string) =>
  renderedGateway(gateway as never, target as never);
const check = (out: ReturnType<typeof rendered>) =>
  gatewayTrafficRule.check(out).join('\n');

describe('OpenAPI path templates (path-to-regexp, API Gateway dialect)', () => {
  const aws = awsDialect;
  const paths = {
    '/mps': {},
    '/mps/{proxy+}': {},
    '/mps/login/api/v1/authorize': {},
    '/{proxy+}': {},
    '/': {},
  };

  it('API Gateway: the most specific resource wins, a greedy variable takes one or more segments and never none', () => {
    expect(matchPath(paths, '/mps/login/api/v1/authorize', aws)?.template).toBe(
      '/mps/login/api/v1/authorize',
    );
    expect(matchPath(paths, '/mps/api/v1/devices/x', aws)).toMatchObject({
      template: '/mps/{proxy+}',
      params: { proxy: 'api/v1/devices/x' },
    });
    expect(matchPath(paths, '/mps', aws)?.template).toBe('/mps');
    expect(matchPath(paths, '/devices/x', aws)?.template).toBe('/{proxy+}');
    expect(matchPath(paths, '/', aws)?.template).toBe('/');
  });
  // ESPv2's templates: espPathTemplates.test.ts (its own test vectors).
});

describe(`${gatewayTrafficRule.id} per gateway`, () => {
  it('Tyk: a trailing slash on the login listen path sends the login to /mps and its JWT check', () => {
    const tyk = combo('tyk', 'compose');
    expect(check(tyk)).toBe('');
    const file = tyk.files.find(f => /mps-login\.json$/.test(f.path))!.path;
    const defect = inject(
      tyk,
      file,
      '"listen_path": "/mps/login/api/v1/authorize"',
      '"listen_path": "/mps/login/api/v1/authorize/"',
    );
    expect(check(defect)).toMatch(
      /A1 login → API [\w-]+-mps: arrives at mpsrouter, must arrive at mps/,
    );
    expect(check(defect)).toMatch(
      /A1 login → API [\w-]+-mps: the gateway checks a JWT, but this client sends no Authorization header/,
    );
  });

  it('Tyk: without enable_websockets (the image default) neither the relay nor activation is proxied', () => {
    const tyk = combo('tyk', 'kubernetes');
    expect(check(tyk)).toBe('');
    const defect = inject(
      tyk,
      'kubernetes/gateway.yaml',
      /\n\s+- name: TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS\n\s+value: "?true"?/,
      '',
    );
    expect(check(defect)).toMatch(
      /A3 relay kvm: API [\w-]+-mps-relay: http_server_options.enable_websockets is off/,
    );
    expect(check(defect)).toMatch(
      /C1 rpc-go \/activate: API [\w-]+-rps-activate: http_server_options.enable_websockets is off/,
    );
  });

  it("Tyk: policy_path reads one policy per file, of the APIs' org (a map of policies, or no org_id: 403 on every JWT call)", () => {
    const tyk = combo('tyk', 'compose');
    expect(check(tyk)).toBe('');
    const file = 'gateway/tyk/policies/open-amt-jwt.json';
    const asMap = tyk.withFile(
      file,
      JSON.stringify({ 'open-amt-jwt': JSON.parse(tyk.file(file)!) }),
    );
    expect(check(asMap)).toMatch(
      /A2 GET \/mps\/api\/v1\/devices\/stats: API [\w-]+-mps: a valid MPS token gets 403: policy open-amt-jwt is not loaded/,
    );
    expect(check(asMap)).toMatch(
      /A4 POST \/rps\/api\/v1\/admin\/profiles: API [\w-]+-rps: a valid MPS token gets 403/,
    );
    const k8s = combo('tyk', 'aks');
    expect(check(k8s)).toBe('');
    const noOrg = inject(
      k8s,
      'kubernetes/gateway.yaml',
      /\n\s+"org_id": "open-amt",/,
      '',
    );
    expect(check(noOrg)).toMatch(
      /A2 GET \/mps\/api\/v1\/version: API [\w-]+-mps: a valid MPS token gets 403: policy open-amt-jwt has org_id "", the API "open-amt"/,
    );
  });

  it('Tyk: the JWT identity in iss and jwt_source as base64 of the secret', () => {
    const tyk = combo('tyk', 'compose');
    const file = tyk.files.find(f => /-rps\.json$/.test(f.path))!.path;
    const sub = inject(
      tyk,
      file,
      '"jwt_identity_base_field": "iss"',
      '"jwt_identity_base_field": "user"',
    );
    expect(check(sub)).toMatch(
      /A4 GET \/rps\/api\/v1\/admin\/version: API [\w-]+-rps: a valid MPS token gets 403: no identity in the token/,
    );
    const raw = inject(
      tyk,
      'scripts/resolve-secrets.sh',
      ' | tr -d "\\n" | base64 -w0)',
      ')',
    );
    expect(check(raw)).toMatch(
      /A2 GET \/mps\/api\/v1\/ciracert: API [\w-]+-mps: a valid MPS token gets 403: jwt_source is not the base64 of the JWT secret/,
    );
  });

  it('Tyk: the CIRA TCP API needs tcp:4433 in ports_whitelist', () => {
    const eks = combo('tyk', 'eks');
    expect(check(eks)).toBe('');
    const noWhitelist = inject(
      eks,
      'kubernetes/gateway.yaml',
      /\n\s+- name: TYK_GW_PORTWHITELIST\n\s+value: .*/,
      '',
    );
    expect(check(noWhitelist)).toMatch(
      /D1 CIRA 4433: Deployment tyk: API [\w-]+-mps-cira: tcp:4433 is not in ports_whitelist/,
    );
  });

  it('Tyk: the rules read compose as docker-compose config prints it (absolute mounts, long-form ports, env files merged)', () => {
    if (!requireDockerCompose()) return;
    const tyk = combo('tyk', 'compose');
    const dir = composeTree(tyk.files);
    try {
      const r = spawnSync(DOCKER_COMPOSE, ['config'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.stderr).not.toMatch(/ERROR/);
      // The files stay as written; compose's services are what docker-compose config prints.
      const services = (load(r.stdout) as any).services;
      expect(services.tyk.volumes).toContain(
        `${dir}/gateway/tyk/policies:/opt/tyk-gateway/policies:ro`,
      );
      expect(services.tyk.env_file).toBeUndefined();
      const asConfigured = (out: RenderedOutput) =>
        Object.assign(Object.create(Object.getPrototypeOf(out)), out, {
          composeServices: () => services,
        }) as RenderedOutput;
      expect(check(asConfigured(tyk))).toBe('');
      expect(tykStartupRule.check(asConfigured(tyk))).toEqual([]);
      const policy = 'gateway/tyk/policies/open-amt-jwt.json';
      const asMap = tyk.withFile(
        policy,
        JSON.stringify({ 'open-amt-jwt': JSON.parse(tyk.file(policy)!) }),
      );
      expect(check(asConfigured(asMap))).toMatch(
        /policy open-amt-jwt is not loaded/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('API Management: no virtual network integration, and the relay as a WebSocket API on its prefix', () => {
    const apim = combo('azure-apim', 'aks');
    expect(check(apim)).toBe('');
    const file = 'gateway/azure-apim/apim.bicep';
    const noVnet = inject(apim, file, /virtualNetworkType: 'External', /, '');
    expect(check(noVnet)).toMatch(
      /A4 GET \/rps\/api\/v1\/admin\/version: API api_rps → rps.internal.[\w.]+:8081: a private name, and the instance is integrated with no virtual network/,
    );
    const prefix = inject(
      apim,
      file,
      "path: 'mps/ws/relay/webrelay.ashx'",
      "path: 'mps/ws/relay'",
    );
    expect(check(prefix)).toMatch(
      /A3 relay sol: WebSocket API api_mps_relay has only onHandshake GET \/, which \/mps\/ws\/relay\/webrelay.ashx does not match/,
    );
  });

  it('API Gateway: public integrations to private names, no custom domain, a websocket Ingress on the public host', () => {
    const eks = combo('aws-api-gateway', 'eks');
    expect(check(eks)).toBe('');
    const file = 'gateway/aws-api-gateway/openapi.json';
    const publicIntegration = eks.withFile(
      file,
      eks.file(file)!.replace(/"connectionType": "VPC_LINK",\n\s+/g, ''),
    );
    expect(check(publicIntegration)).toMatch(
      /A4 POST \/rps\/api\/v1\/admin\/profiles: POST \/rps\/\{proxy\+\} → rps.internal.[\w.]+:8081: the integration is not private/,
    );
    const noLink = inject(
      eks,
      'gateway/aws-api-gateway/api.cfn.yaml',
      /\n\s+vpcLinkRps:\n\s+Ref: VpcLinkRps/,
      '',
    );
    expect(check(noLink)).toMatch(
      /rps.internal.[\w.]+:8081: its connectionId \$\{stageVariables.vpcLinkRps\} names no VpcLink/,
    );
    const noDomain = inject(
      eks,
      'gateway/aws-api-gateway/api.cfn.yaml',
      '"AWS::ApiGateway::DomainName"',
      '"AWS::ApiGateway::Account"',
    );
    expect(check(noDomain)).toMatch(
      /A1 login: no custom domain name [\w.-]+: the Web UI's origin reaches no API/,
    );
    const sharedHost = inject(
      eks,
      'kubernetes/load-balancers.yaml',
      /host: ws\./,
      'host: ',
    );
    expect(check(sharedHost)).toMatch(
      /C1 rpc-go \/activate: Ingress open-amt-websockets claims [\w.-]+, which the API Gateway custom domain holds/,
    );
  });

  it('Cloud Endpoints: the relay as an exact path without its file falls to /mps and the JWT check', () => {
    const esp = combo('google-cloud-endpoints', 'compose');
    expect(check(esp)).toBe('');
    const file = 'gateway/google-cloud-endpoints/openapi.yaml';
    const defect = inject(
      inject(esp, file, '/mps/ws/relay/webrelay.ashx:', '/mps/ws/relay:'),
      file,
      '"http://mpsrouter:8003/relay/webrelay.ashx"',
      '"http://mpsrouter:8003/relay"',
    );
    expect(check(defect)).toMatch(
      /A3 relay ider → GET \/mps\/\{path=\*\*\}: the service receives path \/mps\/ws\/relay\/webrelay.ashx/,
    );
  });

  describe('what the registry says a gateway cannot carry', () => {
    const saved = { ...GATEWAY_PROVIDERS['aws-api-gateway'] };
    afterEach(() => Object.assign(GATEWAY_PROVIDERS['aws-api-gateway'], saved));

    it('must really fail, and the row must state the limitation', () => {
      const aws = combo('aws-api-gateway', 'compose');
      expect(check(aws)).toBe('');
      GATEWAY_PROVIDERS['aws-api-gateway'].doesNotCarry = [
        'remote-console',
        'activation',
      ];
      expect(check(aws)).toMatch(
        /the registry says Amazon API Gateway cannot carry activation, but every activation request arrives/,
      );
      GATEWAY_PROVIDERS['aws-api-gateway'].doesNotCarry = saved.doesNotCarry;
      GATEWAY_PROVIDERS['aws-api-gateway'].limitation = undefined;
      expect(check(aws)).toMatch(
        /Amazon API Gateway does not carry remote-console, but its row states no limitation/,
      );
      GATEWAY_PROVIDERS['aws-api-gateway'].doesNotCarry = [];
      expect(check(aws)).toMatch(
        /A3 relay kvm → ALB rule 1: the service receives path \/mps\/ws\/relay\/webrelay.ashx/,
      );
    });
  });
});
