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
  PROVIDER_KIT,
  SECRETS_PROVIDERS,
  TARGETS,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
import { actionContext } from './__testUtils__/actionContext';
import { uncheckedActions } from './__testUtils__/templateActions';
import { templateEvaluator } from './__testUtils__/templateExpressions';
import {
  createRenderDeploymentAction,
  createRotateSecretsAction,
  createUpgradeDeploymentAction,
} from './actions';
import { ROTATABLE_KINDS } from './actions/rotateSecrets/rotationPlan';
import { ACTION_MODULES } from './actions/preflight/actionModules';

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
    // The name field refuses a name the catalog has on the form (plugin-open-amt's OpenAmtDeploymentName field).
    expect(page('Deployment').properties.name['ui:field']).toBe(
      'OpenAmtDeploymentName',
    );
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
    for (const image of Object.values<any>(images).filter(
      f => f.type === 'string',
    ))
      expect(image.default).toBeUndefined();
    // The operator's own MPS/RPS images are asked for only when they opt in.
    expect(images.ownImages.default).toBe(false);
    expect(images.mps).toBeUndefined();
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

  it("calls only this module's actions and Backstage's publish and register actions", () => {
    const ours = [
      'open-amt:preflight',
      'open-amt:deployment:render',
      'open-amt:deployment:diff',
      'open-amt:secrets:provision',
      'open-amt:database:init',
    ];
    const backstage = [
      'publish:github',
      'publish:gitlab',
      'publish:azure',
      'publish:bitbucketCloud',
      'publish:bitbucketServer',
      'catalog:register',
    ];
    // Changing a deployment (changeOf) publishes a pull request on the host's repository instead.
    const pullRequests = [
      'publish:github:pull-request',
      'publish:gitlab:merge-request',
      'publish:bitbucketCloud:pull-request',
      'publish:bitbucketServer:pull-request',
    ];
    const called = template.spec.steps.map((s: any) => s.action);
    expect(
      called.filter(
        (a: string) => ![...ours, ...backstage, ...pullRequests].includes(a),
      ),
    ).toEqual([]);
    expect(JSON.stringify(template)).not.toContain('open-amt:publish:local');
    // Each repository host is a choice, published by the step its choice enables, from the module the
    // preflight names when it is missing.
    const choices: string[] = page('Repository').properties.publishTarget.enum;
    expect(choices).toEqual(backstage.filter(a => a.startsWith('publish:')));
    for (const choice of choices) {
      const steps = template.spec.steps.filter((s: any) => s.action === choice);
      expect(steps).toHaveLength(1);
      expect(steps[0].if).toBe(
        `\${{ parameters.publishTarget === '${choice}' and not parameters.changeOf }}`,
      );
      expect(ACTION_MODULES[choice]).toMatch(
        /^@backstage\/plugin-scaffolder-backend-module-/,
      );
    }
    // Each choice's pull request step, from the same module, only when changing; Backstage's Azure DevOps module
    // has no pull request action, so that choice has none (the preflight names what is missing).
    for (const pr of pullRequests) {
      const choice = choices.find(c => pr.startsWith(`${c}:`))!;
      const prSteps = template.spec.steps.filter((s: any) => s.action === pr);
      expect(prSteps).toHaveLength(1);
      expect(prSteps[0].if).toBe(
        `\${{ parameters.changeOf and parameters.publishTarget === '${choice}' }}`,
      );
      expect(ACTION_MODULES[pr]).toBe(ACTION_MODULES[choice]);
    }
    expect(
      choices.filter(c => !pullRequests.some(pr => pr.startsWith(`${c}:`))),
    ).toEqual(['publish:azure']);
    // The catalog already has a changed deployment's System.
    const register = template.spec.steps.find((s: any) => s.id === 'register');
    expect(register.if).toBe('${{ not parameters.changeOf }}');
  });

  it('checks every action its later steps call in its first step, before any side effect', () => {
    expect(template.spec.steps[0].action).toBe('open-amt:preflight');
    expect(uncheckedActions(template)).toEqual([]);
    // The check can fail: a step whose action the preflight does not list, and a missing preflight.
    const withExtraStep = {
      ...template,
      spec: {
        ...template.spec,
        steps: [...template.spec.steps, { id: 'x', action: 'fetch:plain' }],
      },
    };
    expect(uncheckedActions(withExtraStep)).toEqual(['fetch:plain']);
    const withoutDatabase = structuredClone(template);
    withoutDatabase.spec.steps[0].input.actions =
      withoutDatabase.spec.steps[0].input.actions.filter(
        (a: string) => !a.includes('database'),
      );
    expect(uncheckedActions(withoutDatabase)).toEqual([
      'open-amt:database:init',
    ]);
  });

  it('links to the repository and the registered entity', () => {
    const titles = template.spec.output.links.map((l: any) => l.title);
    expect(titles).toEqual(['Repository', 'Pull request', 'Open in catalog']);
    expect(template.spec.output.links[2].entityRef).toBe(
      '${{ steps.register.output.entityRef or parameters.changeOf }}',
    );
  });

  it('changes a deployment (changeOf) through a diff before any side effect and a pull request, without registering', () => {
    const preflight = template.spec.steps[0];
    const checked = (parameters: Record<string, unknown>) =>
      templateEvaluator(parameters)
        .resolveValue(preflight.input.actions)
        .filter(Boolean);
    const change = {
      name: 'factory-east',
      changeOf: 'system:default/factory-east',
      publishTarget: 'publish:gitlab',
    };
    expect(checked(change)).toEqual([
      'open-amt:deployment:render',
      'open-amt:deployment:diff',
      'open-amt:secrets:provision',
      'publish:gitlab:merge-request',
    ]);
    expect(checked({ ...change, changeOf: undefined })).toEqual([
      'open-amt:deployment:render',
      'open-amt:secrets:provision',
      'publish:gitlab',
      'catalog:register',
    ]);
    expect(preflight.input.changeOf).toBe('${{ parameters.changeOf }}');
    // The steps that run in change mode, in order: the diff refuses before secrets or databases are touched.
    const { evaluate } = templateEvaluator(change);
    const running = template.spec.steps
      .filter(
        (s: any) =>
          s.if === undefined || evaluate(/^\$\{\{ (.*) \}\}$/.exec(s.if)![1]),
      )
      .map((s: any) => s.id);
    expect(running).toEqual([
      'preflight',
      'render',
      'diff',
      'secrets',
      'pr-gitlab',
    ]);
    const diff = template.spec.steps.find((s: any) => s.id === 'diff');
    expect(diff.input).toEqual({
      changeOf: '${{ parameters.changeOf }}',
      spec: '${{ steps.render.output.spec }}',
    });
  });

  it("puts no default in a provider's own fields, so an unchosen provider's fields never reach the review page", () => {
    // A default enters the form data when its branch shows (Vault's, the default provider, at once) and stays
    // after another provider is chosen: the review page then listed Vault's mount and path prefix for Key Vault.
    const leaking: string[] = [];
    const walk = (node: any, at: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [key, dep] of Object.entries<any>(node.dependencies ?? {}))
        for (const branch of key === 'provider' ? dep.oneOf ?? [] : [])
          for (const [field, def] of Object.entries<any>(
            branch.properties ?? {},
          ))
            if (
              field !== key &&
              def?.default !== undefined &&
              !(branch.required ?? []).includes(field)
            )
              leaking.push(`${at}: ${branch.properties[key]?.const}.${field}`);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(pages, 'parameters');
    expect(leaking).toEqual([]);
    const vault = page(
      'Secrets store',
    ).properties.secrets.dependencies.provider.oneOf.find(
      (b: any) => b.properties.provider.const === 'vault',
    );
    expect(vault.properties.mount).toMatchObject({ 'ui:placeholder': 'kv' });
    expect(vault.properties.mount.default).toBeUndefined();
    expect(vault.properties.pathPrefix.default).toBeUndefined();
  });

  it('writes hints the form renders as written (no <name> placeholders, which Markdown swallows as tags)', () => {
    const swallowed: string[] = [];
    const walk = (node: any, at: string) => {
      if (typeof node === 'string') {
        if (/<[A-Za-z][^>]*>/.test(node)) swallowed.push(`${at}: ${node}`);
        return;
      }
      if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(pages, 'parameters');
    expect(swallowed).toEqual([]);
    const keyVault = page(
      'Secrets store',
    ).properties.secrets.dependencies.provider.oneOf.find(
      (b: any) => b.properties.provider.const === 'azure-key-vault',
    );
    expect(keyVault.properties.vaultUrl.description).toContain(
      'https://amt-kv.vault.azure.net',
    );
    expect(JSON.stringify(pages)).not.toContain('https://.vault.azure.net');
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
      // mount and pathPrefix left empty: the form has no defaults for them (see below), the spec has.
      secrets: {
        provider: 'vault',
        address: 'https://vault.example.com',
      },
      gateway: { provider: 'kong', publicHost: 'amt.example.com' },
      monitoring: { ciraEndpoint: '10.0.4.20:4433' },
    };
    const { resolveValue } = templateEvaluator(parameters);
    const step = template.spec.steps.find((s: any) => s.id === 'render');
    const { ctx, outputs } = actionContext({ input: resolveValue(step.input) });
    await createRenderDeploymentAction().handler(ctx as any);
    expect(outputs.entityRef).toBe('system:default/amt-template-test');
    expect((outputs.spec as any).namespace).toBe('open-amt');
    expect((outputs.spec as any).toolkitRelease).toBe('v2.37.0');
    expect((outputs.spec as any).secrets).toMatchObject({
      mount: 'kv',
      pathPrefix: 'open-amt',
    });
    expect((outputs.spec as any).images.mps).toBe(
      LATEST_TOOLKIT_RELEASE.components.mps.image,
    );
    expect((outputs.spec as any).monitoring).toEqual({
      ciraEndpoint: '10.0.4.20:4433',
    });
    // A kit row: the registry asked on its page reaches images.registry, and the built images are the default.
    const kitParameters = {
      ...parameters,
      images: { ownImages: false, mps: 'left/over:v1' },
      database: {
        provider: 'mariadb',
        host: 'db.example.com',
        tlsMode: 'verify-full',
        imageRegistry: 'amtprod.azurecr.io',
      },
    };
    Object.assign(parameters, kitParameters);
    const kit = actionContext({ input: resolveValue(step.input) });
    await createRenderDeploymentAction({
      kitBundle: async () => 'export default class {}\n',
    }).handler(kit.ctx as any);
    expect((kit.outputs.spec as any).images).toMatchObject({
      registry: 'amtprod.azurecr.io',
      mps: `amtprod.azurecr.io/amt-template-test-mps:v${LATEST_TOOLKIT_RELEASE.components.mps.version}-kit${PROVIDER_KIT.version}`,
    });
    expect(kit.outputs.files).toContain('images/mps/Dockerfile');
    // The operator's own images, when asked for.
    Object.assign(parameters, {
      images: {
        ownImages: true,
        mps: 'registry.example.com/mps:v1',
        rps: 'registry.example.com/rps:v1',
      },
      database: { ...kitParameters.database, imageRegistry: undefined },
    });
    const own = actionContext({ input: resolveValue(step.input) });
    await createRenderDeploymentAction().handler(own.ctx as any);
    expect((own.outputs.spec as any).images.mps).toBe(
      'registry.example.com/mps:v1',
    );
    expect(own.outputs.files).not.toContain('images/mps/Dockerfile');
    const later = template.spec.steps.filter((s: any) =>
      ['secrets', 'database'].includes(s.id),
    );
    for (const s of later)
      expect(s.input.spec).toBe('${{ steps.render.output.spec }}');
  });
});

describe('open-amt-upgrade template', () => {
  const upgrade = parse(
    readFileSync(
      resolve(__dirname, '../../../templates/open-amt-upgrade/template.yaml'),
      'utf8',
    ),
  );
  const upgradePage = (title: string) =>
    upgrade.spec.parameters.find((p: any) => p.title === title);

  it('is a v1beta3 Template whose pages are valid JSON schemas', () => {
    expect(upgrade.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    const ajv = new Ajv({ strict: false });
    for (const p of upgrade.spec.parameters)
      expect(() => ajv.compile(p)).not.toThrow();
  });

  it('picks only Systems this portal rendered, and offers the toolkit releases newest first', () => {
    const fields = upgradePage('Deployment').properties;
    expect(fields.deployment['ui:field']).toBe('EntityPicker');
    expect(fields.deployment['ui:options'].catalogFilter).toEqual({
      kind: 'System',
      'metadata.annotations.open-amt.io/deployment': { exists: true },
    });
    expect(fields.targetRelease.enum).toEqual(TOOLKIT_RELEASES.map(r => r.id));
    expect(fields.targetRelease.enumNames).toEqual(
      TOOLKIT_RELEASES.map(describeToolkitRelease),
    );
    expect(fields.targetRelease.default).toBe(LATEST_TOOLKIT_RELEASE.id);
  });

  it('takes the administrator password only as a Secret field', () => {
    const text = JSON.stringify(upgrade);
    expect(text).not.toContain('parameters.databaseAdminPassword');
    expect(
      upgradePage('Database').properties.databaseAdminPassword['ui:field'],
    ).toBe('Secret');
  });

  it('checks every action its later steps call in its first step, and the check can fail', () => {
    expect(upgrade.spec.steps[0].action).toBe('open-amt:preflight');
    expect(uncheckedActions(upgrade)).toEqual([]);
    const without = structuredClone(upgrade);
    without.spec.steps[0].input.actions = ['open-amt:deployment:upgrade'];
    expect(uncheckedActions(without).sort()).toEqual([
      'publish:github:pull-request',
      'publish:gitlab:merge-request',
    ]);
  });

  it('publishes as a pull request per host choice and registers nothing (the System exists)', () => {
    const called = upgrade.spec.steps.map((s: any) => s.action);
    expect(called).not.toContain('catalog:register');
    const choices: string[] =
      upgradePage('Pull request').properties.publishTarget.enum;
    expect(choices).toEqual([
      'publish:github:pull-request',
      'publish:gitlab:merge-request',
    ]);
    for (const choice of choices) {
      const steps = upgrade.spec.steps.filter((s: any) => s.action === choice);
      expect(steps).toHaveLength(1);
      expect(steps[0].if).toBe(
        `\${{ parameters.publishTarget === '${choice}' }}`,
      );
      expect(steps[0].input.branchName).toBe(
        '${{ steps.upgrade.output.branchName }}',
      );
      expect(ACTION_MODULES[choice]).toMatch(
        /^@backstage\/plugin-scaffolder-backend-module-/,
      );
    }
  });

  it('feeds the upgrade action only inputs its schema declares, and reads only outputs it gives', () => {
    const action = createUpgradeDeploymentAction({
      catalog: {} as any,
      auth: {} as any,
    });
    const schema: any = action.schema;
    const step = upgrade.spec.steps.find((s: any) => s.id === 'upgrade');
    const inputs = Object.keys(
      (schema.input as any).properties ?? schema.input,
    );
    for (const key of Object.keys(step.input)) expect(inputs).toContain(key);
    const outputs = Object.keys(
      (schema.output as any).properties ?? schema.output,
    );
    const used = [
      ...JSON.stringify(upgrade).matchAll(/steps\.upgrade\.output\.(\w+)/g),
    ].map(m => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(outputs).toContain(key);
  });
});

describe('open-amt-rotate-secrets template', () => {
  const rotate = parse(
    readFileSync(
      resolve(
        __dirname,
        '../../../templates/open-amt-rotate-secrets/template.yaml',
      ),
      'utf8',
    ),
  );
  const rotatePage = (title: string) =>
    rotate.spec.parameters.find((p: any) => p.title === title);

  it('is a v1beta3 Template whose pages are valid JSON schemas', () => {
    expect(rotate.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    const ajv = new Ajv({ strict: false });
    for (const p of rotate.spec.parameters)
      expect(() => ajv.compile(p)).not.toThrow();
  });

  it('picks only Systems this portal rendered and offers every rotatable entry, all by default', () => {
    const fields = rotatePage('Deployment').properties;
    expect(fields.deployment['ui:options'].catalogFilter).toEqual({
      kind: 'System',
      'metadata.annotations.open-amt.io/deployment': { exists: true },
    });
    expect(fields.rotate.items.enum).toEqual([...ROTATABLE_KINDS]);
    expect(fields.rotate.default).toEqual([...ROTATABLE_KINDS]);
    expect(fields.rotate.items.enumNames).toHaveLength(ROTATABLE_KINDS.length);
  });

  it('takes the passwords and the store token only as Secret fields, never as parameters of a step', () => {
    const credentials = rotatePage('Credentials').properties;
    for (const key of ['databaseAdminPassword', 'vaultToken']) {
      expect(credentials[key]['ui:field']).toBe('Secret');
      expect(JSON.stringify(rotate.spec.steps)).not.toContain(
        `parameters.${key}`,
      );
    }
  });

  it('checks every action its later steps call in its first step, and the check can fail', () => {
    expect(rotate.spec.steps[0].action).toBe('open-amt:preflight');
    expect(uncheckedActions(rotate)).toEqual([]);
    const without = structuredClone(rotate);
    without.spec.steps[0].input.actions = [];
    expect(uncheckedActions(without)).toEqual(['open-amt:secrets:rotate']);
  });

  it('feeds the rotate action only inputs its schema declares, and reads only outputs it gives', () => {
    const action = createRotateSecretsAction({
      catalog: {} as any,
      auth: {} as any,
    });
    const schema: any = action.schema;
    const step = rotate.spec.steps.find((s: any) => s.id === 'rotate');
    const inputs = Object.keys(
      (schema.input as any).properties ?? schema.input,
    );
    for (const key of Object.keys(step.input)) expect(inputs).toContain(key);
    const outputs = Object.keys(
      (schema.output as any).properties ?? schema.output,
    );
    const used = [
      ...JSON.stringify(rotate).matchAll(/steps\.rotate\.output\.(\w+)/g),
    ].map(m => m[1]);
    expect(used).toEqual(['restartMarkdown']);
    for (const key of used) expect(outputs).toContain(key);
  });
});
