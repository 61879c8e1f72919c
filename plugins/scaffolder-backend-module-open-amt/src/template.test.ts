/**
 * templates/open-amt-production/template.yaml: a valid v1beta3 Template, provider enums and readable
 * names identical to the registry, passwords only as Secret fields used through `secrets`, and its
 * steps' inputs — resolved from sample form values — accepted by the real actions.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import {
  DATABASE_PROVIDERS,
  describeToolkitRelease,
  GATEWAY_PROVIDERS,
  LATEST_TOOLKIT_RELEASE,
  SECRETS_PROVIDERS,
  TARGETS,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
import { actionContext } from './__testUtils__/actionContext';
import { createRenderDeploymentAction } from './actions';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/open-amt-production/template.yaml'),
    'utf8',
  ),
);
const pages: any[] = template.spec.parameters;
const page = (title: string) => pages.find(p => p.title === title);

describe('open-amt-production template', () => {
  it('is a v1beta3 Template whose pages are valid JSON schemas', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(pages.map(p => p.title)).toEqual([
      'Deployment',
      'Database',
      'Secrets store',
      'API gateway',
      'Repository',
    ]);
    const ajv = new Ajv({ strict: false });
    for (const p of pages) expect(() => ajv.compile(p)).not.toThrow();
  });

  it('offers exactly the registry providers with their readable names, through the provider picker', () => {
    const cases: [any, Record<string, { label: string }>, string][] = [
      [
        page('Database').properties.database.properties.provider,
        DATABASE_PROVIDERS,
        'database',
      ],
      [
        page('Secrets store').properties.secrets.properties.provider,
        SECRETS_PROVIDERS,
        'secrets',
      ],
      [
        page('API gateway').properties.gateway.properties.provider,
        GATEWAY_PROVIDERS,
        'gateway',
      ],
    ];
    for (const [field, registry, kind] of cases) {
      expect(field.enum).toEqual(Object.keys(registry));
      expect(field.enumNames).toEqual(
        Object.values(registry).map(p => p.label),
      );
      expect(field['ui:field']).toBe('OpenAmtProviderPicker');
      expect(field['ui:options']).toEqual({ kind });
    }
    const target = page('Deployment').properties.target;
    expect(target.enum).toEqual(Object.keys(TARGETS));
    expect(target.enumNames).toEqual(Object.values(TARGETS).map(t => t.label));
  });

  it('offers the toolkit releases newest first, with date and component versions, the newest by default', () => {
    const field = page('Deployment').properties.toolkitRelease;
    expect(field.enum).toEqual(TOOLKIT_RELEASES.map(r => r.id));
    expect(field.enumNames).toEqual(
      TOOLKIT_RELEASES.map(describeToolkitRelease),
    );
    expect(field.default).toBe(LATEST_TOOLKIT_RELEASE.id);
    // Images are the release's: the form only takes overrides, so no image or version is written in it.
    const images = page('Deployment').properties.images.properties;
    for (const image of Object.values<any>(images))
      expect(image.default).toBeUndefined();
    expect(JSON.stringify(page('Deployment').properties.images)).not.toMatch(
      /intel\//,
    );
  });

  it('shows provider-specific fields only for the chosen provider', () => {
    const gatewayOneOf =
      page('API gateway').properties.gateway.dependencies.provider.oneOf;
    expect(gatewayOneOf.map((o: any) => o.properties.provider.const)).toEqual(
      Object.keys(GATEWAY_PROVIDERS),
    );
    const secretsOneOf =
      page('Secrets store').properties.secrets.dependencies.provider.oneOf;
    expect(secretsOneOf.map((o: any) => o.properties.provider.const)).toEqual(
      Object.keys(SECRETS_PROVIDERS),
    );
  });

  it('takes passwords only as Secret fields and never passes them through parameters', () => {
    const text = JSON.stringify(template);
    for (const secret of ['vaultToken', 'databaseAdminPassword']) {
      expect(text).not.toContain(`parameters.${secret}`);
    }
    const secretFields =
      text.match(
        /"(\w*(?:[Pp]assword|[Tt]oken)\w*)":\{[^}]*"ui:field":"Secret"/g,
      ) ?? [];
    expect(secretFields.length).toBe(2);
    expect(text).not.toMatch(/"type":"string","format":"password"/);
  });

  it('offers the CIRA endpoint beside the other health check endpoints, with the form checking host:port', () => {
    const monitoring = page('Deployment').properties.monitoring.properties;
    expect(Object.keys(monitoring)).toEqual([
      'mpsUrl',
      'rpsUrl',
      'mpsRouterUrl',
      'webUiUrl',
      'ciraEndpoint',
    ]);
    const pattern = new RegExp(monitoring.ciraEndpoint.pattern);
    for (const ok of [
      '10.0.4.20:4433',
      'mps-cira.internal.example.com:14433',
      '[fd00::20]:4433',
    ])
      expect(pattern.test(ok)).toBe(true);
    for (const bad of [
      'mps.example.com',
      'tcp://mps.example.com:4433',
      'mps.example.com:4433/x',
    ])
      expect(pattern.test(bad)).toBe(false);
  });

  it('links to the repository and the registered entity', () => {
    const titles = template.spec.output.links.map((l: any) => l.title);
    expect(titles).toEqual(['Repository', 'Open in catalog']);
    expect(template.spec.output.links[1].entityRef).toContain(
      'steps.register.output.entityRef',
    );
  });

  it('feeds the render action a spec it accepts, from sample form values', async () => {
    const parameters: Record<string, any> = {
      name: 'amt-template-test',
      owner: 'group:default/guests',
      environment: 'production',
      fqdn: 'mps.example.com',
      target: 'aks',
      namespace: 'open-amt',
      toolkitRelease: 'v2.37.0',
      images: {},
      replicas: { mps: 2, rps: 2, mpsrouter: 2, webui: 1 },
      database: {
        provider: 'azure-postgresql',
        host: 'db.example.com',
        tlsMode: 'verify-full',
        caCertSecret: 'azure-postgres-ca',
        initDatabase: undefined,
      },
      secrets: {
        provider: 'vault',
        address: 'https://vault.example.com',
        mount: 'kv',
        pathPrefix: 'open-amt',
      },
      gateway: { provider: 'kong', publicHost: 'amt.example.com' },
      monitoring: { ciraEndpoint: '10.0.4.20:4433' },
    };
    // `${{ parameters.x }}` alone renders to the value itself (json coercion); missing ones to undefined.
    const resolveValue = (v: any): any => {
      if (typeof v === 'string') {
        const m = /^\$\{\{ parameters\.(\w+) \}\}$/.exec(v);
        return m ? parameters[m[1]] : v;
      }
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, resolveValue(x)]),
        );
      return v;
    };
    const step = template.spec.steps.find((s: any) => s.id === 'render');
    const { ctx, outputs } = actionContext({ input: resolveValue(step.input) });
    await createRenderDeploymentAction().handler(ctx as any);
    expect(outputs.entityRef).toBe('system:default/amt-template-test');
    expect((outputs.spec as any).namespace).toBe('open-amt');
    expect((outputs.spec as any).toolkitRelease).toBe('v2.37.0');
    expect((outputs.spec as any).images.mps).toBe(
      LATEST_TOOLKIT_RELEASE.components.mps.image,
    );
    expect((outputs.spec as any).monitoring).toEqual({
      ciraEndpoint: '10.0.4.20:4433',
    });
    const later = template.spec.steps.filter((s: any) =>
      ['secrets', 'database'].includes(s.id),
    );
    for (const s of later)
      expect(s.input.spec).toBe('${{ steps.render.output.spec }}');
  });
});
