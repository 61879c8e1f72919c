import {
  DATABASE_PROVIDER_IDS,
  GATEWAY_PROVIDER_IDS,
  gatewaySpecSection,
  parseDeploymentSpec,
  SECRETS_PROVIDER_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { parseSpecInput } from '../actions/specInput';
import { specFor } from '../__testUtils__/specs';
import {
  builtInRenderProviders,
  createRenderProviders,
  gatewayRendererOf,
  renderProvidersOf,
} from './providers';

const kong = () => builtInRenderProviders().gateways.kong;
const combination = {
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'compose',
} as const;

describe('render providers', () => {
  it('has a renderer for every built-in id of the registry, under its own id', () => {
    const { databases, gateways, secretStores } = builtInRenderProviders();
    for (const [ids, byId] of [
      [DATABASE_PROVIDER_IDS, databases],
      [GATEWAY_PROVIDER_IDS, gateways],
      [SECRETS_PROVIDER_IDS, secretStores],
    ] as const) {
      expect(Object.keys(byId).sort()).toEqual([...ids].sort());
      for (const [id, renderer] of Object.entries(byId))
        expect(renderer.info.id).toBe(id);
    }
  });

  it('refuses a malformed id, a clash, and an added database without a default port', () => {
    const renamed = (id: string) => ({
      ...kong(),
      info: {
        ...kong().info,
        id,
        spec: gatewaySpecSection(id, () => ({})),
      },
    });
    expect(() =>
      createRenderProviders({ gateways: [renamed('Acme GW')] }),
    ).toThrow(/gateway renderer id "Acme GW" is not valid/);
    expect(() =>
      createRenderProviders({ gateways: [renamed('edge'), renamed('edge')] }),
    ).toThrow(/"edge" clashes with another added gateway renderer/);
    const postgres = builtInRenderProviders().databases.postgresql;
    expect(() =>
      createRenderProviders({
        databases: [
          {
            ...postgres,
            info: { ...postgres.info, id: 'acme-db', defaultPort: 0 },
          },
        ],
      }),
    ).toThrow('Open AMT database "acme-db" needs a defaultPort (1-65535)');
  });

  it('renders a spec with the providers it was parsed against, and the built-ins when nobody bound it', () => {
    const edge = {
      ...kong(),
      info: {
        ...kong().info,
        id: 'edge',
        spec: gatewaySpecSection('edge', () => ({})),
      },
    };
    const providers = createRenderProviders({ gateways: [edge] });
    const input = specFor(combination, {
      gateway: { provider: 'edge', publicHost: 'oamt.example.com' },
    } as any);
    const bound = parseSpecInput(input, providers);
    expect(renderProvidersOf(bound)).toBe(providers);
    expect(gatewayRendererOf(bound)).toBe(edge);

    const unbound = parseDeploymentSpec(specFor(combination));
    expect(renderProvidersOf(unbound)).toBe(builtInRenderProviders());
    // The same id through the built-ins only: refused when parsing, and no renderer when looked up.
    expect(() => parseSpecInput(input)).toThrow(/spec\.gateway\.provider/);
    expect(() =>
      gatewayRendererOf({
        ...unbound,
        gateway: { ...unbound.gateway, provider: 'edge' },
      }),
    ).toThrow('No gateway renderer for "edge"');
  });
});
