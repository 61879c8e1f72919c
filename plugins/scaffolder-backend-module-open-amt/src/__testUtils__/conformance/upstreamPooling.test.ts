/**
 * traffic.upstream-pooling: each defect it guards, injected, makes it fail; and every gateway whose registry row says
 * how it pools has a model of its own here.
 */
import {
  GATEWAY_PROVIDER_IDS,
  GATEWAY_PROVIDERS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { inject, rendered, renderedGateway } from './fixtures';
import { UPSTREAM_POOLING_MODELS } from './gateways/pooling';
import { upstreamPoolingRule } from './rules/upstreamPooling';

const combo = (gateway: string, target: string) =>
  renderedGateway(gateway as never, target as never);
const check = (out: ReturnType<typeof rendered>) =>
  upstreamPoolingRule.check(out).join('\n');

// Two MPS instances where the renderer runs one.
const twoMps = (out: ReturnType<typeof rendered>) =>
  inject(
    out,
    'kubernetes/mps.yaml',
    /(kind: StatefulSet\n(?:.*\n)*?spec:\n\s+replicas:) 1/,
    '$1 2',
  );

describe(`${upstreamPoolingRule.id}`, () => {
  it('Kong: the keepalive pool left on', () => {
    const kong = combo('kong', 'kubernetes');
    expect(check(kong)).toBe('');
    expect(
      check(
        inject(
          kong,
          'kubernetes/gateway.yaml',
          /name: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE\n(\s+)value: "?0"?/,
          'name: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE\n$1value: "60"',
        ),
      ),
    ).toBe(
      'Deployment kong container kong: KONG_UPSTREAM_KEEPALIVE_POOL_SIZE is not 0',
    );
  });

  it('Tyk: keep-alive to the upstreams left on (compose, and Kubernetes where the relay goes to mps-router too)', () => {
    const compose = combo('tyk', 'compose');
    const eks = combo('tyk', 'eks');
    for (const out of [compose, eks]) expect(check(out)).toBe('');
    expect(
      check(
        inject(
          compose,
          'docker-compose.yml',
          /\n\s+TYK_GW_PROXYCLOSECONNECTIONS: "true"/,
          '',
        ),
      ),
    ).toMatch(
      /docker-compose.yml services.tyk: Tyk keeps idle upstream connections for reuse \(proxy_close_connections is off\)/,
    );
    expect(
      check(
        inject(
          eks,
          'kubernetes/gateway.yaml',
          /\n\s+- name: TYK_GW_PROXYCLOSECONNECTIONS\n\s+value: "true"/,
          '',
        ),
      ),
    ).toMatch(/Deployment tyk.*: Tyk keeps idle upstream connections/);
  });

  it.each(['azure-apim', 'aws-api-gateway'])(
    '%s (no switch): MPS runs alone; two instances behind it fail',
    gateway => {
      const out = combo(gateway, 'aks');
      expect(check(out)).toBe('');
      expect(check(twoMps(out))).toMatch(
        /no .*(way|setting).* reusing .*connections \(assumed to pool; not verified\), yet MPS runs 2 instances and requests such as A2 GET \/mps\/api\/v1\/devices/,
      );
    },
  );

  describe('ESPv2 (no switch) with two MPS instances', () => {
    const saved = GATEWAY_PROVIDERS['google-cloud-endpoints'].doesNotCarry;
    afterEach(() => {
      GATEWAY_PROVIDERS['google-cloud-endpoints'].doesNotCarry = saved;
    });

    it('holds while the device API is a flow its row says it cannot carry; fails once it would carry it', () => {
      const esp = combo('google-cloud-endpoints', 'kubernetes');
      expect(check(esp)).toBe('');
      GATEWAY_PROVIDERS['google-cloud-endpoints'].doesNotCarry = [
        'provisioning-api',
      ];
      expect(check(esp)).toMatch(
        /ESPv2 \(Envoy\) reuses upstream HTTP\/1.1 connections and offers no flag or x-google-backend field to turn that off, yet MPS runs 2 instances/,
      );
    });
  });

  it('every gateway whose row says how it pools has a pooling model that reads its output', () => {
    for (const id of GATEWAY_PROVIDER_IDS) {
      if (!GATEWAY_PROVIDERS[id].upstreamPooling) continue;
      const out = combo(id, 'kubernetes');
      expect([
        id,
        UPSTREAM_POOLING_MODELS.some(m => m.describe(out) !== undefined),
      ]).toEqual([id, true]);
    }
  });
});
