import { DEFAULT_IMAGES, isPinnedImage } from './images';
import { DeploymentSpecError, parseDeploymentSpec } from './deploymentSpec';

const base = {
  name: 'oamt-prod',
  owner: 'group:default/platform',
  fqdn: 'mps.example.com',
  target: 'eks',
  database: { provider: 'amazon-rds-postgresql', host: 'db.abc.eu-west-1.rds.amazonaws.com' },
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
    expect(spec.images).toEqual(DEFAULT_IMAGES);
    expect(spec.database.tlsMode).toBe('verify-full');
    expect(spec.secrets).toMatchObject({ mount: 'kv', pathPrefix: 'open-amt' });
    expect(spec.replicas.mps).toBe(2);
  });

  it('names every bad field with the caller prefix', () => {
    expect(
      issuesOf({ ...base, fqdn: 'https://mps.example.com', database: { ...base.database, port: 'x' } }),
    ).toEqual(expect.arrayContaining(['spec.fqdn', 'spec.database.port']));
  });

  it('rejects an unknown provider by its field', () => {
    expect(issuesOf({ ...base, gateway: { provider: 'nginx', publicHost: 'x.example.com' } })).toEqual([
      'spec.gateway.provider',
    ]);
  });

  it('requires custom MPS and RPS images for custom-level choices', () => {
    const mariadb = { ...base, database: { provider: 'mariadb', host: 'db.internal' } };
    expect(issuesOf(mariadb)).toEqual(['spec.images.mps', 'spec.images.rps']);
    const withImages = { ...mariadb, images: { mps: 'registry.example.com/mps-mariadb:1.0.0', rps: 'registry.example.com/rps-mariadb:1.0.0' } };
    expect(parseDeploymentSpec(withImages).images.mpsrouter).toBe(DEFAULT_IMAGES.mpsrouter);
  });

  it('refuses unpinned images', () => {
    expect(issuesOf({ ...base, images: { webui: 'intel/oact-webui:latest' } })).toEqual(['spec.images.webui']);
    expect(issuesOf({ ...base, images: { webui: 'intel/oact-webui' } })).toEqual(['spec.images.webui']);
  });

  it('keeps production safe: no plaintext database or Vault', () => {
    expect(
      issuesOf({ ...base, database: { ...base.database, tlsMode: 'disable' }, secrets: { provider: 'vault', address: 'http://vault:8200' } }),
    ).toEqual(['spec.database.tlsMode', 'spec.secrets.address']);
    expect(issuesOf({ ...base, environment: 'development', secrets: { provider: 'vault', address: 'http://vault:8200' } })).toEqual([]);
  });
});

describe('monitoring.ciraEndpoint', () => {
  it.each(['10.0.4.20:4433', 'mps-cira.internal.example.com:14433', '[fd00::20]:4433'])('accepts %s', ciraEndpoint => {
    expect(parseDeploymentSpec({ ...base, monitoring: { ciraEndpoint } }).monitoring?.ciraEndpoint).toBe(ciraEndpoint);
  });

  it.each(['mps.example.com', 'mps.example.com:0', 'mps.example.com:70000', 'tcp://mps.example.com:4433', 'mps_x.example.com:4433'])(
    'rejects %s, naming the field',
    ciraEndpoint => expect(issuesOf({ ...base, monitoring: { ciraEndpoint } })).toEqual(['spec.monitoring.ciraEndpoint']),
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
