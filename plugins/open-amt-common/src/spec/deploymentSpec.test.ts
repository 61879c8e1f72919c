import { TOOLKIT_V2_26_0, TOOLKIT_V2_37_0, toolkitRelease } from '../releases';
import { isPinnedImage } from './images';
import { DATABASE_PROVIDERS } from '../providers';
import {
  BUILT_IN_SPEC_PROVIDERS,
  builtImageServices,
  DeploymentSpecError,
  kitBundleNames,
  parseDeploymentSpec,
} from './deploymentSpec';
import { parseImageRegistry, PROVIDER_KIT } from './providerKit';

const base = {
  name: 'oamt-prod',
  owner: 'group:default/platform',
  fqdn: 'mps.example.com',
  target: 'eks',
  database: {
    provider: 'amazon-rds-postgresql',
    host: 'db.abc.eu-west-1.rds.amazonaws.com',
    caCertSecret: 'rds-ca-bundle',
  },
  secrets: { provider: 'vault', address: 'https://vault.example.com:8200' },
  gateway: { provider: 'kong', publicHost: 'oamt.example.com' },
};

function issuesOf(input: unknown): string[] {
  try {
    parseDeploymentSpec(input, 'spec');
  } catch (e) {
    expect(e).toBeInstanceOf(DeploymentSpecError);
    return (e as DeploymentSpecError).issues.map(i => i.path);
  }
  return [];
}

describe('parseDeploymentSpec', () => {
  it('fills pinned defaults for a native combination', () => {
    const spec = parseDeploymentSpec(base);
    expect(spec.toolkitRelease).toBe('v2.37.0');
    expect(spec.images).toEqual({
      mps: 'intel/device-mgmt-toolkit-mps:v2.34.1',
      rps: 'intel/device-mgmt-toolkit-rps:v2.39.4',
      mpsrouter: 'intel/device-mgmt-toolkit-mps-router:v2.5.13',
      webui: 'intel/device-mgmt-toolkit-web-ui:v3.61.1',
    });
    expect(spec.database.tlsMode).toBe('verify-full');
    expect(spec.secrets).toMatchObject({ mount: 'kv', pathPrefix: 'open-amt' });
    expect(spec.replicas.mps).toBe(2);
  });

  it('fills the images of an older release when the spec names it', () => {
    const spec = parseDeploymentSpec({ ...base, toolkitRelease: 'v2.26.0' });
    expect(spec.images).toEqual({
      mps: 'intel/oact-mps:v2.13.21',
      rps: 'intel/oact-rps:v2.22.14',
      mpsrouter: 'intel/oact-mpsrouter:v2.3.12',
      webui: 'intel/oact-webui:v3.27.4',
    });
    expect(
      parseDeploymentSpec({
        ...base,
        toolkitRelease: 'v2.26.0',
        images: { rps: 'example/rps:v1' },
      }).images,
    ).toMatchObject({
      rps: 'example/rps:v1',
      mps: TOOLKIT_V2_26_0.components.mps.image,
    });
  });

  it('rejects an unknown release by its field, before anything else is done', () => {
    expect(issuesOf({ ...base, toolkitRelease: 'v2.99.0' })).toEqual([
      'spec.toolkitRelease',
    ]);
  });

  it('names every bad field with the caller prefix', () => {
    expect(
      issuesOf({
        ...base,
        fqdn: 'https://mps.example.com',
        database: { ...base.database, port: 'x' },
      }),
    ).toEqual(expect.arrayContaining(['spec.fqdn', 'spec.database.port']));
  });

  it('rejects an unknown provider by its field', () => {
    expect(
      issuesOf({
        ...base,
        gateway: { provider: 'nginx', publicHost: 'x.example.com' },
      }),
    ).toEqual(['spec.gateway.provider']);
  });

  it('builds MPS and RPS with the provider kit for a kit row, pushed to the registry the spec names', () => {
    const mariadb = {
      ...base,
      database: { provider: 'mariadb', host: 'db.internal' },
    };
    // Without a registry there is nowhere to push the built images: the field is named.
    expect(issuesOf(mariadb)).toEqual(['spec.images.registry']);
    const registry = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
    const spec = parseDeploymentSpec({ ...mariadb, images: { registry } });
    expect(spec.images).toEqual({
      mps: `${registry}/oamt-prod-mps:v2.34.1-kit${PROVIDER_KIT.version}`,
      rps: `${registry}/oamt-prod-rps:v2.39.4-kit${PROVIDER_KIT.version}`,
      mpsrouter: TOOLKIT_V2_37_0.components.mpsrouter.image,
      webui: TOOLKIT_V2_37_0.components.webui.image,
      registry,
    });
    expect(builtImageServices(spec)).toEqual(['mps', 'rps']);
    expect(kitBundleNames(spec)).toEqual([{ kind: 'data', name: 'mariadb' }]);
    expect(
      kitBundleNames(
        parseDeploymentSpec({
          ...mariadb,
          images: { registry },
          secrets: {
            provider: 'aws-kms',
            region: 'eu-west-1',
            kmsKeyId: 'alias/amt',
          },
        }),
      ),
    ).toEqual([
      { kind: 'data', name: 'mariadb' },
      { kind: 'secrets', name: 'aws-secrets-manager' },
    ]);
    // The older release's upstream versions tag its images.
    expect(
      parseDeploymentSpec({
        ...mariadb,
        toolkitRelease: 'v2.26.0',
        images: { registry },
      }).images.rps,
    ).toBe(`${registry}/oamt-prod-rps:v2.22.14-kit${PROVIDER_KIT.version}`);
    // A native row builds nothing, even with a registry named.
    expect(
      builtImageServices(
        parseDeploymentSpec({ ...base, images: { registry } }),
      ),
    ).toEqual([]);
  });

  it("keeps an operator's own MPS and RPS images for a kit row, building only the other one", () => {
    const keyVault = {
      ...base,
      secrets: {
        provider: 'azure-key-vault',
        vaultUrl: 'https://amt.vault.azure.net',
      },
    };
    const own = {
      mps: 'registry.example.com/mps-keyvault:1.0.0',
      rps: 'registry.example.com/rps-keyvault:1.0.0',
    };
    const spec = parseDeploymentSpec({ ...keyVault, images: own });
    expect(spec.images).toMatchObject(own);
    expect(builtImageServices(spec)).toEqual([]);
    const half = parseDeploymentSpec({
      ...keyVault,
      images: { mps: own.mps, registry: 'amtprod.azurecr.io' },
    });
    expect(half.images.mps).toBe(own.mps);
    expect(builtImageServices(half)).toEqual(['rps']);
    // Naming the upstream image itself is refused: it cannot load the provider.
    expect(
      issuesOf({
        ...keyVault,
        images: {
          registry: 'amtprod.azurecr.io',
          rps: TOOLKIT_V2_37_0.components.rps.image,
        },
      }),
    ).toEqual(['spec.images.rps']);
  });

  it('asks for the own images of a row the provider kit lacks', () => {
    const acme = {
      id: 'acme-db',
      kind: 'database' as const,
      label: 'Acme DB',
      supportLevel: DATABASE_PROVIDERS.mariadb.supportLevel,
      implication: 'Needs its own provider.',
      docsUrl: 'https://acme.example.com',
      engine: 'postgres' as const,
      defaultPort: 7777,
      mpsDbProvider: 'acme-db',
    };
    const providers = {
      ...BUILT_IN_SPEC_PROVIDERS,
      databases: [...BUILT_IN_SPEC_PROVIDERS.databases, acme],
    };
    const input = {
      ...base,
      database: { provider: 'acme-db', host: 'db.internal' },
      images: { registry: 'ghcr.io/acme' },
    };
    expect(() => parseDeploymentSpec(input, 'spec', providers)).toThrow(
      /spec\.images\.mps Acme DB is not in the provider kit.*spec\.images\.rps/,
    );
    const spec = parseDeploymentSpec(
      {
        ...input,
        images: {
          mps: 'ghcr.io/acme/mps:v1',
          rps: 'ghcr.io/acme/rps:v1',
        },
      },
      'spec',
      providers,
    );
    expect(kitBundleNames(spec, providers)).toEqual([]);
  });

  it('names the registry field when the registry is none of GHCR, ACR or ECR', () => {
    for (const registry of [
      'ghcr.io/Acme',
      'registry.example.com',
      'amt.azurecr.io',
      '1111.dkr.ecr.eu-west-1.amazonaws.com',
      'ghcr.io/acme/',
    ])
      expect(issuesOf({ ...base, images: { registry } })).toEqual([
        'spec.images.registry',
      ]);
    expect(parseImageRegistry('ghcr.io/acme-corp')).toEqual({
      kind: 'ghcr',
      host: 'ghcr.io',
      owner: 'acme-corp',
    });
    expect(parseImageRegistry('amtprod.azurecr.io')).toMatchObject({
      kind: 'acr',
      name: 'amtprod',
    });
    expect(
      parseImageRegistry('111122223333.dkr.ecr.us-gov-west-1.amazonaws.com'),
    ).toMatchObject({
      kind: 'ecr',
      account: '111122223333',
      region: 'us-gov-west-1',
    });
  });

  it("takes an image field a form sent as '' for absent, so the release's image applies", () => {
    const spec = parseDeploymentSpec({
      ...base,
      images: { mps: '', rps: '', mpsrouter: '', webui: '', registry: '' },
    });
    const release = toolkitRelease(spec.toolkitRelease);
    expect(spec.images.mps).toBe(release.components.mps.image);
    expect(spec.images.webui).toBe(release.components.webui.image);
    expect(spec.images.registry).toBeUndefined();
    // Only the empty string: a blank-looking value is still checked.
    expect(issuesOf({ ...base, images: { mps: ' ' } })).toContain(
      'spec.images.mps',
    );
  });

  it('refuses unpinned images', () => {
    expect(
      issuesOf({ ...base, images: { webui: 'intel/oact-webui:latest' } }),
    ).toEqual(['spec.images.webui']);
    expect(
      issuesOf({ ...base, images: { webui: 'intel/oact-webui' } }),
    ).toEqual(['spec.images.webui']);
  });

  it('keeps production safe: no plaintext database or Vault', () => {
    expect(
      issuesOf({
        ...base,
        database: { ...base.database, tlsMode: 'disable' },
        secrets: { provider: 'vault', address: 'http://vault:8200' },
      }),
    ).toEqual(['spec.database.tlsMode', 'spec.secrets.address']);
    expect(
      issuesOf({
        ...base,
        environment: 'development',
        secrets: { provider: 'vault', address: 'http://vault:8200' },
      }),
    ).toEqual([]);
  });
});

describe('database.caCertSecret', () => {
  it('is required for verify-full on managed PostgreSQL, whose CA the services do not trust', () => {
    const { caCertSecret, ...withoutCa } = base.database;
    expect(caCertSecret).toBeDefined();
    expect(issuesOf({ ...base, database: withoutCa })).toEqual([
      'spec.database.caCertSecret',
    ]);
    expect(
      issuesOf({
        ...base,
        database: { ...withoutCa, provider: 'azure-postgresql' },
      }),
    ).toEqual(['spec.database.caCertSecret']);
    expect(
      issuesOf({
        ...base,
        environment: 'staging',
        database: { ...withoutCa, tlsMode: 'require' },
      }),
    ).toEqual([]);
    expect(
      issuesOf({ ...base, database: { ...withoutCa, provider: 'postgresql' } }),
    ).toEqual([]);
  });
});

describe('monitoring.ciraEndpoint', () => {
  it.each([
    '10.0.4.20:4433',
    'mps-cira.internal.example.com:14433',
    '[fd00::20]:4433',
  ])('accepts %s', ciraEndpoint => {
    expect(
      parseDeploymentSpec({ ...base, monitoring: { ciraEndpoint } }).monitoring
        ?.ciraEndpoint,
    ).toBe(ciraEndpoint);
  });

  it.each([
    'mps.example.com',
    'mps.example.com:0',
    'mps.example.com:70000',
    'tcp://mps.example.com:4433',
    'mps_x.example.com:4433',
  ])('rejects %s, naming the field', ciraEndpoint =>
    expect(issuesOf({ ...base, monitoring: { ciraEndpoint } })).toEqual([
      'spec.monitoring.ciraEndpoint',
    ]),
  );
});

describe('isPinnedImage', () => {
  it.each([
    ['intel/oact-mps:v2.13.21', true],
    ['registry.example.com:5000/team/mps:1.2', true],
    [`intel/oact-mps@sha256:${'a'.repeat(64)}`, true],
    ['registry.example.com:5000/team/mps', false],
    ['intel/oact-mps:latest', false],
  ])('%s → %s', (ref, pinned) => expect(isPinnedImage(ref)).toBe(pinned));
});
