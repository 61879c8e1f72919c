/**
 * The behaviour conformance suite over every combination, and for each rule the defect it guards, injected into a
 * rendered output, making it fail.
 */
import { isWorkload } from './output';
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../render';
import { allCombinations, Combination, specFor } from '../specs';
import { checkConformance, CONFORMANCE_RULES, RenderedOutput } from '.';
import { inject, rendered } from './fixtures';
import { routeKong } from './kongRouter';
import { authorizerDecryptRule } from './rules/authorizerDecrypt';
import { composeHealthchecksRule } from './rules/composeHealthchecks';
import { composeInterpolationRule } from './rules/composeInterpolation';
import { envFileValuesRule } from './rules/envFileValues';
import { kubeletExpansionRule } from './rules/kubeletExpansion';
import { databaseTlsRule } from './rules/databaseTls';
import { externalSecretsApiRule } from './rules/externalSecretsApi';
import { gatewayUpstreamsRule } from './rules/gatewayUpstreams';
import { kongAdminExposureRule } from './rules/kongAdminExposure';
import { gatewayTrafficRule } from './rules/gatewayTraffic';
import { livenessProbesRule } from './rules/livenessProbes';
import { replicaSpreadRule } from './rules/replicaSpread';
import { runAsNonRootRule } from './rules/runAsNonRoot';
import { notVerifiedRule } from './rules/notVerified';
import { runbookTruthRule } from './rules/runbookTruth';
import { upstreamPoolingRule } from './rules/upstreamPooling';
import { storePermissionsRule } from './rules/storePermissions';
import { tykStartupRule } from './rules/tykStartup';
import { vaultKubernetesAuthRule } from './rules/vaultKubernetesAuth';
import { vaultTokenLifetimeRule } from './rules/vaultTokenLifetime';

const KONG_K8S = rendered({
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'kubernetes',
});
const KONG_COMPOSE = rendered({
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'compose',
});

describe('behaviour conformance', () => {
  it('every rule names its fact and its source', () => {
    for (const rule of CONFORMANCE_RULES) {
      expect(rule.fact.length).toBeGreaterThan(40);
      expect(rule.source.length).toBeGreaterThan(10);
    }
  });

  it.each(TOOLKIT_RELEASE_IDS)(
    'every combination of release %s conforms to every rule',
    release => {
      const violations: string[] = [];
      for (const c of allCombinations()) {
        const spec = parseDeploymentSpec({
          ...specFor(c),
          toolkitRelease: release,
        });
        violations.push(
          ...checkConformance(spec, renderDeployment(spec)).map(
            v => `${spec.name}: ${v}`,
          ),
        );
      }
      expect(violations.slice(0, 20)).toEqual([]);
    },
  );
});

describe("the Kong router model follows Kong's documented priorities", () => {
  // The example of Kong's "Traditional router" page, "Regex evaluation order".
  const config = {
    services: [
      {
        name: 'a',
        url: 'http://a:1',
        routes: [
          { name: 'status', paths: ['~/status/\\d+'], regex_priority: 0 },
        ],
      },
      {
        name: 'b',
        url: 'http://b:1',
        routes: [
          {
            name: 'version-status',
            paths: ['~/version/\\d+/status/\\d+'],
            regex_priority: 6,
          },
        ],
      },
      {
        name: 'c',
        url: 'http://c:1',
        routes: [{ name: 'version', paths: ['/version'] }],
      },
      {
        name: 'd',
        url: 'http://d:1',
        routes: [{ name: 'version-any', paths: ['~/version/any/'] }],
      },
    ],
  };
  it.each([
    ['/version/1/status/2', 'version-status'],
    ['/status/7', 'status'],
    ['/version/any/x', 'version-any'],
    ['/version/other', 'version'],
  ])('%s → %s', (url, route) => {
    expect(routeKong(config, { method: 'GET', url })?.route).toBe(route);
  });

  it('longer prefixes first, strip_path removes the matched part, the query is kept, dot segments are normalized', () => {
    const prefixes = {
      services: [
        {
          name: 'short',
          url: 'http://s:1',
          routes: [{ name: 'short', paths: ['/mps'], strip_path: true }],
        },
        {
          name: 'long',
          url: 'http://l:2/relay',
          routes: [
            { name: 'long', paths: ['/mps/ws/relay'], strip_path: true },
          ],
        },
      ],
    };
    expect(
      routeKong(prefixes, {
        method: 'GET',
        url: '/mps/ws/relay/webrelay.ashx?p=2',
      }),
    ).toMatchObject({
      route: 'long',
      upstream: {
        host: 'l',
        port: 2,
        path: '/relay/webrelay.ashx',
        query: 'p=2',
      },
    });
    expect(
      routeKong(prefixes, { method: 'GET', url: '/mps/ws/x/../relay/a' })
        ?.route,
    ).toBe('long');
    expect(
      routeKong(prefixes, { method: 'GET', url: '/other' }),
    ).toBeUndefined();
  });
});

describe('each rule fails on the defect it guards', () => {
  it(`${gatewayTrafficRule.id}: the relay as an exact regex falls to /mps and its JWT plugin (the remote console breaks)`, () => {
    expect(gatewayTrafficRule.check(KONG_COMPOSE)).toEqual([]);
    const defect = inject(
      KONG_COMPOSE,
      'gateway/kong/kong.yaml',
      /- \/mps\/ws\/relay\n/,
      '- "~/mps/ws/relay$"\n',
    );
    const violations = gatewayTrafficRule.check(defect);
    expect(violations.join('\n')).toMatch(
      /A3 relay kvm → route mps: .*receives path \/ws\/relay\/webrelay.ashx/,
    );
    expect(violations.join('\n')).toMatch(
      /A3 relay kvm → route mps: the gateway checks a JWT, but this client sends no Authorization header/,
    );
  });

  it(`${gatewayTrafficRule.id}: with MPS replicas the relay must go through mps-router`, () => {
    expect(
      KONG_K8S.kubernetesObjects().find(
        o => isWorkload(o) && o.metadata.name === 'mps',
      )?.spec.replicas,
    ).toBeGreaterThan(1);
    const defect = inject(
      KONG_K8S,
      'gateway/kong/kong.yaml',
      /mpsrouter(\.[a-z.-]+):8003\/relay/,
      'mps$1:3000/relay',
    );
    expect(gatewayTrafficRule.check(defect).join('\n')).toMatch(
      /A3 relay sol .* arrives at mps, must arrive at mpsrouter \(MPS has \d+ replicas/,
    );
  });

  it(`${gatewayTrafficRule.id}: a protected API without the JWT plugin, and an upstream that does not exist`, () => {
    const config = KONG_COMPOSE.yaml('gateway/kong/kong.yaml')[0];
    const withoutJwt = {
      ...config,
      plugins: config.plugins.filter(
        (p: any) => !(p.name === 'jwt' && p.route === 'rps'),
      ),
    };
    const noJwt = KONG_COMPOSE.withFile(
      'gateway/kong/kong.yaml',
      JSON.stringify(withoutJwt),
    );
    expect(gatewayTrafficRule.check(noJwt).join('\n')).toMatch(
      /A4 GET \/rps\/api\/v1\/admin\/version → route rps: the gateway checks no JWT/,
    );
    const wrongHost = inject(
      KONG_COMPOSE,
      'gateway/kong/kong.yaml',
      'http://rps:8081',
      'http://rps-api:8081',
    );
    expect(gatewayTrafficRule.check(wrongHost).join('\n')).toMatch(
      /upstream rps-api:8081 does not exist \(no compose service "rps-api"\)/,
    );
    const wrongPort = inject(
      KONG_COMPOSE,
      'gateway/kong/kong.yaml',
      'http://rps:8081',
      'http://rps:8082',
    );
    expect(gatewayTrafficRule.check(wrongPort).join('\n')).toMatch(
      /rps does not listen on 8082/,
    );
  });

  it(`${upstreamPoolingRule.id}: Kong pooling upstream connections (compose and Kubernetes)`, () => {
    expect(upstreamPoolingRule.check(KONG_COMPOSE)).toEqual([]);
    expect(
      upstreamPoolingRule.check(
        inject(
          KONG_COMPOSE,
          'docker-compose.yml',
          /\n\s+KONG_UPSTREAM_KEEPALIVE_POOL_SIZE: "?0"?/,
          '',
        ),
      ),
    ).toEqual([
      'docker-compose.yml services.kong: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE is not 0',
    ]);
    const k8s = inject(
      KONG_K8S,
      'kubernetes/gateway.yaml',
      /name: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE\n(\s+)value: "?0"?/,
      'name: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE\n$1value: "60"',
    );
    expect(upstreamPoolingRule.check(k8s)).toEqual([
      'Deployment kong container kong: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE is not 0',
    ]);
  });

  it(`${externalSecretsApiRule.id}: external-secrets.io/v1beta1`, () => {
    expect(externalSecretsApiRule.check(KONG_K8S)).toEqual([]);
    const defect = inject(
      KONG_K8S,
      'kubernetes/external-secrets.yaml',
      'external-secrets.io/v1\n',
      'external-secrets.io/v1beta1\n',
    );
    expect(externalSecretsApiRule.check(defect)[0]).toMatch(
      /apiVersion external-secrets.io\/v1beta1 is not served/,
    );
  });

  it(`${livenessProbesRule.id}: liveness on MPS's health endpoint`, () => {
    expect(livenessProbesRule.check(KONG_K8S)).toEqual([]);
    const defect = inject(
      KONG_K8S,
      'kubernetes/mps.yaml',
      /livenessProbe:\n(\s+)tcpSocket:\n\s+port: 3000/,
      'livenessProbe:\n$1httpGet:\n$1  path: /api/v1/health\n$1  port: 3000',
    );
    expect(livenessProbesRule.check(defect)).toEqual([
      'Deployment mps: livenessProbe on /api/v1/health restarts the pod whenever the database or Vault is down',
    ]);
  });

  it(`${runAsNonRootRule.id}: runAsNonRoot with a named image user, and a toolkit image under another uid`, () => {
    const tyk = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'tyk',
      target: 'eks',
    });
    for (const out of [KONG_K8S, tyk])
      expect(runAsNonRootRule.check(out)).toEqual([]);
    const named = inject(
      KONG_K8S,
      'kubernetes/gateway.yaml',
      /\n\s+runAsUser: 1000\n(\s+)runAsGroup: 1000/,
      '\n$1runAsGroup: 1000',
    );
    expect(runAsNonRootRule.check(named)).toEqual([
      'Deployment kong container kong: runAsNonRoot without a numeric non-root runAsUser: the kubelet refuses to start it (CreateContainerConfigError)',
    ]);
    const wrongUid = inject(
      KONG_K8S,
      'kubernetes/rps.yaml',
      /runAsUser: 1000/,
      'runAsUser: 999',
    );
    expect(runAsNonRootRule.check(wrongUid)[0]).toMatch(
      /Deployment rps container rps: runs as uid 999, but intel\/device-mgmt-toolkit-rps:v2.39.4 is built for uid 1000/,
    );
  });

  it(`${vaultKubernetesAuthRule.id}: the SecretStore's role, its binding and the reviewer permission`, () => {
    expect(vaultKubernetesAuthRule.check(KONG_K8S)).toEqual([]);
    const bootstrap = 'secrets-store/vault/bootstrap.sh';
    const noRole = inject(
      KONG_K8S,
      bootstrap,
      /vault write auth\/kubernetes\/role\/.*\n/,
      '',
    );
    expect(vaultKubernetesAuthRule.check(noRole)[0]).toMatch(
      /Kubernetes auth role amt-postgresql-vault-kong-kubernetes-reader is created nowhere/,
    );
    const otherNamespace = inject(
      KONG_K8S,
      bootstrap,
      'bound_service_account_namespaces=open-amt',
      'bound_service_account_namespaces=default',
    );
    expect(vaultKubernetesAuthRule.check(otherNamespace)).toEqual([
      'SecretStore open-amt-store: role amt-postgresql-vault-kong-kubernetes-reader is not bound to namespace open-amt',
    ]);
    const noDelegation = inject(
      KONG_K8S,
      'kubernetes/secrets-store.yaml',
      'name: "system:auth-delegator"',
      'name: view',
    );
    expect(vaultKubernetesAuthRule.check(noDelegation)[0]).toMatch(
      /may not create TokenReviews/,
    );
  });

  it(`${vaultTokenLifetimeRule.id}: a non-periodic token, a token nothing renews, a renewer slower than the period`, () => {
    const bootstrap = 'secrets-store/vault/bootstrap.sh';
    for (const out of [KONG_K8S, KONG_COMPOSE])
      expect(vaultTokenLifetimeRule.check(out)).toEqual([]);
    const ttl = inject(
      KONG_COMPOSE,
      bootstrap,
      /-period=768h -orphan -field=token\)\nRPS/,
      '-ttl=768h -orphan -field=token)\nRPS',
    );
    expect(vaultTokenLifetimeRule.check(ttl)[0]).toMatch(
      /creates a non-periodic token/,
    );
    const compose = KONG_COMPOSE.yaml('docker-compose.yml')[0];
    const { 'vault-token-renewer': renewer, ...others } = compose.services;
    expect(renewer).toBeDefined();
    const noRenewer = KONG_COMPOSE.withFile(
      'docker-compose.yml',
      JSON.stringify({ ...compose, services: others }),
    );
    expect(vaultTokenLifetimeRule.check(noRenewer)).toEqual([
      'MPS_VAULT_TOKEN: nothing renews it; the token expires 768 h after its last renewal and MPS/RPS lose Vault',
      'RPS_VAULT_TOKEN: nothing renews it; the token expires 768 h after its last renewal and MPS/RPS lose Vault',
    ]);
    const monthly = inject(
      KONG_K8S,
      'kubernetes/secrets-store.yaml',
      /schedule: "?17 3 \* \* \*"?/,
      'schedule: "17 3 1 * *"',
    );
    expect(vaultTokenLifetimeRule.check(monthly)[0]).toMatch(
      /CronJob vault-token-renewer: renews MPS_VAULT_TOKEN on a schedule not shown to run within its 768 h period/,
    );
  });

  describe(`${databaseTlsRule.id}`, () => {
    const withMode = (c: Combination, tlsMode: string, extra: object = {}) => {
      const input: any = specFor(c);
      const spec = parseDeploymentSpec({
        ...input,
        environment: 'staging',
        database: { ...input.database, tlsMode, ...extra },
      });
      return new RenderedOutput(spec, renderDeployment(spec));
    };
    const rds = {
      database: 'amazon-rds-postgresql',
      secrets: 'vault',
      gateway: 'kong',
      target: 'eks',
    } as const;
    const selfHosted = {
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'kong',
      target: 'compose',
    } as const;

    it('holds for every mode', () => {
      for (const mode of ['disable', 'require', 'verify-full']) {
        for (const c of [rds, selfHosted])
          expect(databaseTlsRule.check(withMode(c, mode))).toEqual([]);
      }
    });

    it('require as one string for both clients: node-postgres verifies (the old defect)', () => {
      const out = withMode(selfHosted, 'require');
      const entry = out.provisioned('db-mps');
      const defect = out.withEntry('db-mps', {
        ...entry,
        connectionString: entry.connectionString.replace(
          'sslmode=no-verify',
          'sslmode=require',
        ),
      });
      expect(databaseTlsRule.check(defect)).toEqual([
        'mps (node-postgres): verifies the server certificate though the form says require (not verified): a private CA fails the connection',
      ]);
      const noVerify = out.withEntry('db-mps', {
        ...entry,
        routerConnectionString: entry.connectionString,
      });
      expect(databaseTlsRule.check(noVerify)).toEqual([
        'mpsrouter (lib/pq): does not start: lib/pq refuses sslmode=no-verify',
      ]);
    });

    it('a managed database without its CA, and a CA named but not mounted', () => {
      const out = withMode(rds, 'verify-full');
      const entry = out.provisioned('db-mps');
      const withoutCa = out.withEntry('db-mps', {
        ...entry,
        connectionString: entry.connectionString.replace(
          /&sslrootcert=[^&]+/,
          '',
        ),
      });
      expect(databaseTlsRule.check(withoutCa)).toEqual([
        'mps (node-postgres): verifies against its own trust store, which lacks the Amazon RDS regional CA bundle',
      ]);
      const unmounted = inject(
        out,
        'kubernetes/mpsrouter.yaml',
        /\n\s+volumeMounts:\n\s+- name: database-ca\n\s+mountPath: \/etc\/open-amt\/database-ca\n\s+readOnly: true/,
        '',
      );
      expect(databaseTlsRule.check(unmounted)).toEqual([
        'mpsrouter (lib/pq): verifies with /etc/open-amt/database-ca/ca.pem, which is not mounted in its container',
      ]);
    });

    it('the spec refuses verify-full on a managed database without its CA', () => {
      const input: any = specFor(rds);
      expect(() =>
        parseDeploymentSpec({
          ...input,
          database: {
            provider: 'amazon-rds-postgresql',
            host: 'db.example.com',
            tlsMode: 'verify-full',
          },
        }),
      ).toThrow(
        /database.caCertSecret:? verify-full needs the Amazon RDS regional CA bundle/,
      );
    });
  });

  it(`${replicaSpreadRule.id}: replicas without a spread`, () => {
    expect(replicaSpreadRule.check(KONG_K8S)).toEqual([]);
    const defect = inject(
      KONG_K8S,
      'kubernetes/mps.yaml',
      /topologyKey: kubernetes.io\/hostname/,
      'topologyKey: example.com/rack',
    );
    expect(replicaSpreadRule.check(defect)).toEqual([
      'Deployment mps: 2 replicas with nothing spreading them over nodes or zones',
    ]);
  });

  it(`${kongAdminExposureRule.id}: the admin API open to every pod`, () => {
    for (const out of [KONG_K8S, KONG_COMPOSE])
      expect(kongAdminExposureRule.check(out)).toEqual([]);
    const noPolicy = inject(
      KONG_K8S,
      'kubernetes/gateway.yaml',
      /kind: NetworkPolicy/,
      'kind: NetworkPolicyDisabled',
    );
    expect(kongAdminExposureRule.check(noPolicy)).toEqual([
      'Deployment kong: the admin API (0.0.0.0:8001) is open to every pod: no NetworkPolicy selects the Kong pods',
    ]);
    const open = inject(
      KONG_K8S,
      'kubernetes/gateway.yaml',
      /port: 4433\n(\s+)- from:/,
      'port: 4433\n        - protocol: TCP\n          port: 8001\n$1- from:',
    );
    expect(kongAdminExposureRule.check(open)).toEqual([
      'Deployment kong: a NetworkPolicy admits the admin port 8001 from any peer',
    ]);
    const composeOpen = inject(
      KONG_COMPOSE,
      'docker-compose.yml',
      'KONG_ADMIN_LISTEN: "127.0.0.1:8001"',
      'KONG_ADMIN_LISTEN: "0.0.0.0:8001"',
    );
    expect(kongAdminExposureRule.check(composeOpen)).toEqual([
      'docker-compose.yml services.kong: the admin API listens beyond loopback',
    ]);
  });

  it(`${composeHealthchecksRule.id}: a missing healthcheck and one the image cannot run`, () => {
    expect(composeHealthchecksRule.check(KONG_COMPOSE)).toEqual([]);
    const compose = KONG_COMPOSE.yaml('docker-compose.yml')[0];
    const { healthcheck, ...rpsWithout } = compose.services.rps;
    expect(healthcheck).toBeDefined();
    const missing = KONG_COMPOSE.withFile(
      'docker-compose.yml',
      JSON.stringify({
        ...compose,
        services: { ...compose.services, rps: rpsWithout },
      }),
    );
    expect(composeHealthchecksRule.check(missing)).toEqual([
      'docker-compose.yml services.rps: no healthcheck',
    ]);
    const curl = {
      ...compose.services.mpsrouter,
      healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost:8003/'] },
    };
    const noCurl = KONG_COMPOSE.withFile(
      'docker-compose.yml',
      JSON.stringify({
        ...compose,
        services: { ...compose.services, mpsrouter: curl },
      }),
    );
    expect(composeHealthchecksRule.check(noCurl)).toEqual([
      'docker-compose.yml services.mpsrouter: the healthcheck runs curl, which the image does not have',
    ]);
  });

  it(`${runbookTruthRule.id}: counts and files the runbook names`, () => {
    const mariadbK8s = rendered({
      database: 'mariadb',
      secrets: 'vault',
      gateway: 'kong',
      target: 'kubernetes',
    });
    for (const out of [KONG_COMPOSE, KONG_K8S, mariadbK8s])
      expect(runbookTruthRule.check(out)).toEqual([]);
    const twoOnCompose = inject(
      KONG_COMPOSE,
      'README.md',
      /^- mps: (`[^`]+`) × 1.*$/m,
      '- mps: $1 × 2',
    );
    expect(runbookTruthRule.check(twoOnCompose)).toEqual([
      'README.md: says mps × 2, the files run 1',
    ]);
    const mariadbTwo = inject(
      mariadbK8s,
      'README.md',
      /^- mps: (`[^`]+`) × 1.*$/m,
      '- mps: $1 × 2',
    );
    expect(runbookTruthRule.check(mariadbTwo)).toEqual([
      'README.md: says mps × 2, the files run 1',
    ]);
    const missing = inject(
      KONG_K8S,
      'README.md',
      '## Steps left to a human',
      '## Steps left to a human\n\nApply `kubernetes/vault-agent.yaml`.',
    );
    expect(runbookTruthRule.check(missing)).toEqual([
      'README.md: names kubernetes/vault-agent.yaml, which is not in the repository',
    ]);
    const endpoints = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'google-cloud-endpoints',
      target: 'kubernetes',
    });
    expect(runbookTruthRule.check(endpoints)).toEqual([]);
    const silent = inject(
      endpoints,
      'README.md',
      /## Limitations \(not production-ready\)[\s\S]*?\n\n(?=## )/,
      '',
    );
    expect(runbookTruthRule.check(silent)).toEqual([
      'README.md: does not state the limitation of Google Cloud Endpoints (ESPv2)',
    ]);
    const unresolved = inject(
      KONG_COMPOSE,
      'README.md',
      '## Steps left to a human',
      '## Steps left to a human\n\nCopy `secrets/gateway.pem`.',
    );
    expect(runbookTruthRule.check(unresolved)).toEqual([
      'README.md: names secrets/gateway.pem, which scripts/resolve-secrets.sh never writes',
    ]);
    const tyk = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'tyk',
      target: 'eks',
    });
    expect(notVerifiedRule.check(tyk)).toEqual([]);
    const unstated = inject(
      tyk,
      'README.md',
      /## Not verified[\s\S]*?\n\n(?=## )/,
      '',
    );
    expect(notVerifiedRule.check(unstated)).toEqual([
      'README.md: does not say what of Tyk Gateway is not verified',
    ]);
  });

  it(`${tykStartupRule.id}: HTTP vs an HTTPS probe, /hello off the control port, an unfenced control Service, the default control secret`, () => {
    const tykK8s = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'tyk',
      target: 'kubernetes',
    });
    const tykCompose = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'tyk',
      target: 'compose',
    });
    for (const out of [tykK8s, tykCompose])
      expect(tykStartupRule.check(out)).toEqual([]);
    const plain = inject(
      tykK8s,
      'kubernetes/gateway.yaml',
      /name: TYK_GW_HTTPSERVEROPTIONS_USESSL\n(\s+)value: "true"/,
      'name: TYK_GW_HTTPSERVEROPTIONS_USESSL\n$1value: "false"',
    );
    expect(tykStartupRule.check(plain)).toEqual([
      'Deployment tyk: readiness probe speaks HTTPS but Tyk serves plain HTTP',
    ]);
    const probeOnListenPort = inject(
      tykK8s,
      'kubernetes/gateway.yaml',
      /path: \/hello\n(\s+)port: 9696/,
      'path: /hello\n$1port: 8443',
    );
    expect(tykStartupRule.check(probeOnListenPort)).toEqual([
      'Deployment tyk: readiness probe GET /hello on 8443, but Tyk answers /hello only on 9696 (control_api_port): the pod never becomes ready',
    ]);
    const publicProbe = inject(
      tykCompose,
      'catalog-info.yaml',
      /https:\/\/tyk:9696/,
      'https://amt.example.com',
    );
    expect(tykStartupRule.check(publicProbe)).toEqual([
      'catalog-info.yaml: the gateway probe reads https://amt.example.com/hello, not /hello on the control port 9696: Tyk does not answer it there',
    ]);
    const doubled = inject(
      tykCompose,
      'catalog-info.yaml',
      /https:\/\/tyk:9696/,
      'https://tyk:9696/hello',
    );
    expect(tykStartupRule.check(doubled)).toEqual([
      'catalog-info.yaml: the gateway probe reads https://tyk:9696/hello/hello, not /hello on the control port 9696: Tyk does not answer it there',
    ]);
    const unfenced = inject(
      tykK8s,
      'kubernetes/gateway.yaml',
      /(\n\s+)- from:\n\s+- namespaceSelector:\n\s+matchLabels:\n\s+open-amt.io\/health-probes: "true"\n(\s+)ports:\n\s+- protocol: TCP\n\s+port: 9696/,
      '$1- ports:\n$2  - protocol: TCP\n$2    port: 9696',
    );
    expect(tykStartupRule.check(unfenced)).toEqual([
      'Deployment tyk: a Service carries the control port 9696 and no NetworkPolicy limits who reaches it',
    ]);
    const noSecret = inject(
      tykK8s,
      'kubernetes/gateway.yaml',
      /\n\s+- name: TYK_GW_SECRET\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: tyk-control\n\s+key: password/,
      '',
    );
    expect(tykStartupRule.check(noSecret)).toEqual([
      "Deployment tyk: TYK_GW_SECRET is not set: the control API keeps the image's default secret",
    ]);
    const published = inject(
      tykCompose,
      'docker-compose.yml',
      /- "?443:8443"?/,
      '- "443:8443"\n      - "9696:9696"',
    );
    expect(tykStartupRule.check(published)).toEqual([
      'docker-compose.yml services.tyk: the control API answers on an exposed port (9696)',
    ]);
  });

  it(`${storePermissionsRule.id}: read-only identities for services that write, a reader that writes, one shared identity`, () => {
    const azure = rendered({
      database: 'azure-sql',
      secrets: 'azure-key-vault',
      gateway: 'azure-apim',
      target: 'aks',
    });
    const aws = rendered({
      database: 'mariadb',
      secrets: 'aws-kms',
      gateway: 'aws-api-gateway',
      target: 'eks',
    });
    for (const out of [azure, aws])
      expect(storePermissionsRule.check(out)).toEqual([]);
    const bicep = 'secrets-store/azure-key-vault/key-vault.bicep';
    const readOnly = inject(
      azure,
      bicep,
      /(resource servicesWrite[\s\S]*?roleDefinitions', ')b86a8fe4-44ce-4948-aee5-eccb2c155cd7/,
      '$14633458b-17de-408a-b874-0445c86b69e6',
    );
    expect(storePermissionsRule.check(readOnly)).toEqual([
      `${bicep}: the identity MPS and RPS run as cannot write secrets (needs Key Vault Secrets Officer)`,
    ]);
    const shared = inject(
      azure,
      'kubernetes/serviceaccounts.yaml',
      /_READER_CLIENT_ID/,
      '_SERVICES_CLIENT_ID',
    );
    expect(storePermissionsRule.check(shared)).toEqual([
      "ServiceAccounts open-amt and external-secrets share one identity: the reader would hold the writer's rights",
    ]);
    const cfn = 'secrets-store/aws/secrets-access.cfn.yaml';
    const stack = aws.yaml(cfn)[0];
    const getOnly = structuredClone(stack);
    getOnly.Resources.ServicesWritePolicy.Properties.PolicyDocument.Statement =
      [stack.Resources.ReaderPolicy.Properties.PolicyDocument.Statement[0]];
    expect(
      storePermissionsRule.check(aws.withFile(cfn, JSON.stringify(getOnly)))[0],
    ).toMatch(
      /ServicesWritePolicy does not allow secretsmanager:CreateSecret on open-amt-amt-mariadb-aws-kms-aws-api-gateway-eks-devices\//,
    );
    // The kit's provider restores a path scheduled for deletion before writing it again.
    const noRestore = structuredClone(stack);
    for (const st of noRestore.Resources.ServicesWritePolicy.Properties
      .PolicyDocument.Statement)
      st.Action = [st.Action]
        .flat()
        .filter((a: string) => a !== 'secretsmanager:RestoreSecret');
    expect(
      storePermissionsRule.check(aws.withFile(cfn, JSON.stringify(noRestore))),
    ).toEqual([
      `${cfn}: ServicesWritePolicy does not allow secretsmanager:RestoreSecret on open-amt-amt-mariadb-aws-kms-aws-api-gateway-eks-devices/4c4c4544-004b-4210-8033-b6c04f504633`,
    ]);
    const writingReader = structuredClone(stack);
    writingReader.Resources.ReaderPolicy.Properties.PolicyDocument.Statement[0].Action.push(
      'secretsmanager:PutSecretValue',
    );
    expect(
      storePermissionsRule.check(
        aws.withFile(cfn, JSON.stringify(writingReader)),
      ),
    ).toEqual([
      `${cfn}: ReaderPolicy allows secretsmanager:PutSecretValue: External Secrets only reads`,
    ]);
  });

  it(`${gatewayUpstreamsRule.id}: a managed gateway aimed at one private name, a name no load balancer carries, a port the VM does not publish`, () => {
    const apimAks = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'azure-apim',
      target: 'aks',
    });
    const apiGwCompose = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'aws-api-gateway',
      target: 'compose',
    });
    const espK8s = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'google-cloud-endpoints',
      target: 'kubernetes',
    });
    for (const out of [apimAks, apiGwCompose, espK8s])
      expect(gatewayUpstreamsRule.check(out)).toEqual([]);
    const bicep = 'gateway/azure-apim/apim.bicep';
    const oneName = inject(
      apimAks,
      bicep,
      /http:\/\/rps\.internal\./g,
      'http://internal.',
    );
    expect(gatewayUpstreamsRule.check(oneName)).toEqual([
      `${bicep}: upstream internal.mps.example.com:8081 is not reachable (no load balancer Service carries the name internal.mps.example.com)`,
    ]);
    const unnamed = inject(
      apimAks,
      'kubernetes/rps.yaml',
      /\n\s+external-dns.alpha.kubernetes.io\/hostname: rps.internal.mps.example.com/,
      '',
    );
    expect(gatewayUpstreamsRule.check(unnamed)[0]).toMatch(
      /upstream rps.internal.mps.example.com:8081 is not reachable \(no load balancer Service carries the name/,
    );
    const compose = apiGwCompose.yaml('docker-compose.yml')[0];
    const unpublished = apiGwCompose.withFile(
      'docker-compose.yml',
      JSON.stringify({
        ...compose,
        services: {
          ...compose.services,
          rps: { ...compose.services.rps, ports: ['8080:8080'] },
        },
      }),
    );
    expect(gatewayUpstreamsRule.check(unpublished).join('\n')).toMatch(
      /upstream internal.mps.example.com:8081 is not reachable \(nothing on the VM publishes port 8081\)/,
    );
  });

  it(`${authorizerDecryptRule.id}: an authorizer that cannot decrypt the JWT secret`, () => {
    const aws = rendered({
      database: 'postgresql',
      secrets: 'aws-kms',
      gateway: 'aws-api-gateway',
      target: 'eks',
    });
    const vault = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'aws-api-gateway',
      target: 'compose',
    });
    for (const out of [aws, vault])
      expect(authorizerDecryptRule.check(out)).toEqual([]);
    const stackFile = 'gateway/aws-api-gateway/api.cfn.yaml';
    const stack = aws.yaml(stackFile)[0];
    const withoutDecrypt = structuredClone(stack);
    const policy =
      withoutDecrypt.Resources.AuthorizerRole.Properties.Policies[0]
        .PolicyDocument;
    policy.Statement = policy.Statement.filter(
      (st: any) => st.Action !== 'kms:Decrypt',
    );
    expect(
      authorizerDecryptRule.check(
        aws.withFile(stackFile, JSON.stringify(withoutDecrypt)),
      )[0],
    ).toMatch(/the authorizer may not decrypt the JWT secret/);
    // On other stores the runbook copies the entry into Secrets Manager for it (AWS-managed key: no kms grant needed),
    // in the API's region, where the authorizer's client reads.
    expect(vault.file('README.md')).toMatch(
      /aws secretsmanager create-secret --region eu-west-1 --name amt-postgresql-vault-aws-api-gateway-com\S*-jwt --secret-string/,
    );
  });

  it(`${composeInterpolationRule.id}: a runtime variable written $NAME, a variable nothing sets, a $ compose refuses`, () => {
    expect(composeInterpolationRule.check(KONG_COMPOSE)).toEqual([]);
    const file = 'docker-compose.yml';
    // The defect of issue 18: the renewer's shell variables, substituted by compose with "".
    const unescaped = inject(
      KONG_COMPOSE,
      file,
      /\$\$MPS_VAULT_TOKEN/,
      '$MPS_VAULT_TOKEN',
    );
    expect(composeInterpolationRule.check(unescaped)).toEqual([
      'docker-compose.yml services.vault-token-renewer command: the shell is meant to expand $MPS_VAULT_TOKEN (the container has it), but compose substitutes it when it reads the file: write $$MPS_VAULT_TOKEN',
      'docker-compose.yml services.vault-token-renewer: compose warns "The MPS_VAULT_TOKEN variable is not set. Defaulting to a blank string." and writes "" in its place: neither .env nor any step of the runbook sets it',
    ]);
    expect(
      unescaped.composeServices()?.['vault-token-renewer'].command[0],
    ).toMatch(/^while true; do VAULT_TOKEN="" vault token renew/);
    expect(vaultTokenLifetimeRule.check(unescaped)).toEqual([
      'MPS_VAULT_TOKEN: nothing renews it; the token expires 768 h after its last renewal and MPS/RPS lose Vault',
    ]);
    const braced = inject(
      KONG_COMPOSE,
      file,
      /\$\$RPS_VAULT_TOKEN/,
      '${RPS_VAULT_TOKEN:-}',
    );
    expect(composeInterpolationRule.check(braced)).toEqual([
      expect.stringMatching(
        /services.vault-token-renewer command: the shell is meant to expand \$RPS_VAULT_TOKEN/,
      ),
    ]);
    // A value compose would fill from the operator's shell: nothing in the runbook exports it.
    const fromShell = inject(
      KONG_COMPOSE,
      file,
      'KONG_DATABASE: "off"',
      'KONG_DATABASE: "${KONG_DATABASE_MODE}"',
    );
    expect(composeInterpolationRule.check(fromShell)).toEqual([
      'docker-compose.yml services.kong: compose warns "The KONG_DATABASE_MODE variable is not set. Defaulting to a blank string." and writes "" in its place: neither .env nor any step of the runbook sets it',
    ]);
    // .env provides COMPOSE_PROJECT_NAME: a compose-time value from it is fine outside a shell.
    const fromDotenv = inject(
      KONG_COMPOSE,
      file,
      'MPS_INSTANCE_NAME: mps',
      'MPS_INSTANCE_NAME: ${COMPOSE_PROJECT_NAME}-mps',
    );
    expect(composeInterpolationRule.check(fromDotenv)).toEqual([]);
    expect(fromDotenv.containerEnv('mps').MPS_INSTANCE_NAME).toBe(
      'amt-postgresql-vault-kong-compose-mps',
    );
    const refused = inject(KONG_COMPOSE, file, 'sleep 86400', 'sleep $1');
    expect(composeInterpolationRule.check(refused)[0]).toMatch(
      /compose refuses the file: service "vault-token-renewer" option "command": Invalid interpolation format/,
    );
  });

  it(`${envFileValuesRule.id}: values python-dotenv reads otherwise (a " #" tail, \${…}, a leading quote)`, () => {
    expect(envFileValuesRule.check(KONG_COMPOSE)).toEqual([]);
    const entry = KONG_COMPOSE.provisioned('db-rps');
    for (const altered of [
      `${entry.connectionString} #x`,
      `${entry.connectionString}&application_name=\${HOSTNAME}`,
      `'${entry.connectionString}'`,
    ])
      expect(
        envFileValuesRule.check(
          KONG_COMPOSE.withEntry('db-rps', {
            ...entry,
            connectionString: altered,
          }),
        ),
      ).toEqual([
        expect.stringMatching(
          /^scripts\/resolve-secrets.sh: RPS_CONNECTION_STRING in secrets\/rps.env reaches the container altered by python-dotenv/,
        ),
      ]);
  });

  it(`${kubeletExpansionRule.id}: a $(NAME) the container defines, a Service link name, a shell $$`, () => {
    expect(kubeletExpansionRule.check(KONG_K8S)).toEqual([]);
    const file = 'kubernetes/secrets-store.yaml';
    const renewer = 'CronJob vault-token-renewer container renew command';
    expect(
      kubeletExpansionRule.check(
        inject(
          KONG_K8S,
          file,
          'VAULT_TOKEN=\\"$MPS_VAULT_TOKEN\\"',
          'VAULT_TOKEN=\\"$(MPS_VAULT_TOKEN)\\"',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${renewer}: the kubelet rewrites .* to .*VAULT_TOKEN=\\\\"<MPS_VAULT_TOKEN>`,
        ),
      ),
    ]);
    expect(
      kubeletExpansionRule.check(
        inject(
          KONG_K8S,
          file,
          '>/dev/null && echo',
          '>/dev/null && echo $(MPS_SERVICE_HOST) && echo',
        ),
      ),
    ).toEqual([expect.stringMatching(/<MPS_SERVICE_HOST>/)]);
    expect(
      kubeletExpansionRule.check(
        inject(
          KONG_K8S,
          file,
          '>/dev/null && echo',
          // inject() replaces with String.replace: $$$$ writes $$.
          '>/dev/null && echo pid $$$$ && echo',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^CronJob vault-token-renewer container renew command: the kubelet rewrites/,
      ),
    ]);
    // A name the container does not have stays as written.
    expect(
      kubeletExpansionRule.check(
        inject(
          KONG_K8S,
          file,
          '>/dev/null && echo',
          '>/dev/null && echo $(date) && echo',
        ),
      ),
    ).toEqual([]);
  });
});
