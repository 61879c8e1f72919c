import { TOOLKIT_V2_26_0, TOOLKIT_V2_37_0 } from '../releases';
import { isPinnedImage } from './images';
import { DeploymentSpecError, parseDeploymentSpec } from './deploymentSpec';

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

  it('requires custom MPS and RPS images for custom-level choices', () => {
    const mariadb = {
      ...base,
      database: { provider: 'mariadb', host: 'db.internal' },
    };
    expect(issuesOf(mariadb)).toEqual(['spec.images.mps', 'spec.images.rps']);
    const withImages = {
      ...mariadb,
      images: {
        mps: 'registry.example.com/mps-mariadb:1.0.0',
        rps: 'registry.example.com/rps-mariadb:1.0.0',
      },
    };
    expect(parseDeploymentSpec(withImages).images.mpsrouter).toBe(
      TOOLKIT_V2_37_0.components.mpsrouter.image,
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
