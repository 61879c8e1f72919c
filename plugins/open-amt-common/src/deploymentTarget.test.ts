import { readDeploymentTarget, isOpenAmtDeployment } from './deploymentTarget';

const system = (
  annotations: Record<string, string>,
  extra: Partial<{ kind: string; namespace: string }> = {},
) => ({
  kind: extra.kind ?? 'System',
  metadata: {
    name: 'prod-eu',
    namespace: extra.namespace,
    title: 'Prod EU',
    annotations,
  },
  spec: { owner: 'group:default/platform' },
});

const full = {
  'open-amt.io/deployment': 'prod-eu',
  'open-amt.io/target': 'aks',
  'open-amt.io/mps-url': 'http://mps.prod:3000',
  'open-amt.io/rps-url': 'http://rps.prod:8081',
  'open-amt.io/mpsrouter-url': 'http://mpsrouter.prod:8003',
  'open-amt.io/webui-url': 'http://webui.prod',
  'open-amt.io/database-provider': 'azure-postgresql',
  'open-amt.io/database-endpoint': 'db.prod.example.com:6432',
  'open-amt.io/secrets-provider': 'vault',
  'open-amt.io/secrets-endpoint': 'https://vault.prod:8200',
  'open-amt.io/gateway-provider': 'kong',
  'open-amt.io/gateway-url': 'http://kong-admin.prod:8001',
  'open-amt.io/credentials-ref': 'vault:kv/open-amt/prod/probe',
};

describe('readDeploymentTarget', () => {
  it('ignores entities that are not deployment Systems', () => {
    expect(readDeploymentTarget(system({}))).toBeUndefined();
    expect(
      readDeploymentTarget(system(full, { kind: 'Component' })),
    ).toBeUndefined();
    expect(isOpenAmtDeployment(system(full))).toBe(true);
  });

  it("takes the confirmed owners from the catalog's ownedBy relations, not from spec.owner", () => {
    expect(readDeploymentTarget(system(full))!.ownedBy).toEqual([]);
    const related = {
      ...system(full),
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/Platform' },
        { type: 'partOf', targetRef: 'domain:default/amt' },
        { type: 'ownedBy', targetRef: 'user:default/alice' },
      ],
    };
    expect(readDeploymentTarget(related)!.ownedBy).toEqual([
      'group:default/platform',
      'user:default/alice',
    ]);
  });

  it('reads every annotation into a typed target', () => {
    const t = readDeploymentTarget(system(full))!;
    expect(t.entityRef).toBe('system:default/prod-eu');
    expect(t.owner).toBe('group:default/platform');
    expect(t.services.mpsrouter).toBe('http://mpsrouter.prod:8003');
    expect(t.database).toEqual({
      provider: 'azure-postgresql',
      host: 'db.prod.example.com',
      port: 6432,
      tlsMode: 'verify-full',
      rpsDatabase: 'rpsdb',
      mpsDatabase: 'mpsdb',
      toolkitRelease: 'v2.26.0',
    });
    expect(t.secrets).toEqual({
      provider: 'vault',
      endpoint: 'https://vault.prod:8200',
      mount: undefined,
    });
    expect(t.gateway).toEqual({
      provider: 'kong',
      url: 'http://kong-admin.prod:8001',
    });
    expect(t.credentialsRef).toBe('vault:kv/open-amt/prod/probe');
    expect(t.problems).toEqual([]);
  });

  it('uses the provider default port and optional database annotations', () => {
    const t = readDeploymentTarget(
      system(
        {
          ...full,
          'open-amt.io/database-provider': 'mariadb',
          'open-amt.io/database-endpoint': 'maria.internal',
          'open-amt.io/database-tls-mode': 'require',
          'open-amt.io/rps-database': 'rps_x',
        },
        { namespace: 'Ops' },
      ),
    )!;
    expect(t.entityRef).toBe('system:ops/prod-eu');
    expect(t.database).toMatchObject({
      host: 'maria.internal',
      port: 3306,
      tlsMode: 'require',
      rpsDatabase: 'rps_x',
      mpsDatabase: 'mpsdb',
    });
  });

  it('lists unusable annotations as problems instead of throwing', () => {
    const t = readDeploymentTarget(
      system({
        ...full,
        'open-amt.io/mps-url': 'ftp://nope',
        'open-amt.io/database-provider': 'oracle',
        'open-amt.io/gateway-provider': 'kong',
        'open-amt.io/gateway-url': '',
      }),
    )!;
    expect(t.services.mps).toBeUndefined();
    expect(t.database).toBeUndefined();
    expect(t.gateway).toBeUndefined();
    expect(t.problems).toEqual([
      'open-amt.io/mps-url must be an http(s) URL',
      'open-amt.io/database-provider: unknown provider "oracle"',
      'open-amt.io/gateway-url is missing',
    ]);
  });

  describe('CIRA endpoint', () => {
    const cira = (annotations: Record<string, string>) =>
      readDeploymentTarget(system({ ...full, ...annotations }))!;

    it('defaults the endpoint to the common name on port 4433', () => {
      const t = cira({ 'open-amt.io/mps-common-name': 'mps.prod.example.com' });
      expect(t.cira).toEqual({
        host: 'mps.prod.example.com',
        port: 4433,
        commonName: 'mps.prod.example.com',
      });
      expect(t.problems).toEqual([]);
    });

    it('probes an internal address while checking the certificate for the common name', () => {
      const t = cira({
        'open-amt.io/mps-common-name': 'mps.prod.example.com',
        'open-amt.io/cira-endpoint': '10.0.4.20:14433',
      });
      expect(t.cira).toEqual({
        host: '10.0.4.20',
        port: 14433,
        commonName: 'mps.prod.example.com',
      });
      const v6 = cira({
        'open-amt.io/mps-common-name': 'mps.prod.example.com',
        'open-amt.io/cira-endpoint': '[fd00::20]:4433',
      });
      expect(v6.cira).toMatchObject({ host: 'fd00::20', port: 4433 });
    });

    it('is absent without its annotations (older deployments)', () => {
      const t = cira({});
      expect(t.cira).toBeUndefined();
      expect(t.problems).toEqual([]);
    });

    it.each([
      [
        { 'open-amt.io/cira-endpoint': 'mps.prod.example.com:4433' },
        "open-amt.io/mps-common-name is missing: the CIRA probe needs the name MPS's certificate must cover",
      ],
      [
        { 'open-amt.io/mps-common-name': 'https://mps.prod.example.com' },
        'open-amt.io/mps-common-name must be a host name (MPS_COMMON_NAME), not "https://mps.prod.example.com"',
      ],
      [
        {
          'open-amt.io/mps-common-name': 'mps.prod.example.com',
          'open-amt.io/cira-endpoint': 'mps.prod.example.com:99999',
        },
        'open-amt.io/cira-endpoint must be host:port, e.g. mps.prod.example.com:4433',
      ],
      [
        {
          'open-amt.io/mps-common-name': 'mps.prod.example.com',
          'open-amt.io/cira-endpoint': 'tcp://mps:4433',
        },
        'open-amt.io/cira-endpoint must be host:port, e.g. mps.prod.example.com:4433',
      ],
    ])(
      'reports %j as a problem and leaves the rest usable',
      (annotations, problem) => {
        const t = cira(annotations);
        expect(t.cira).toBeUndefined();
        expect(t.problems).toEqual([problem]);
        expect(t.gateway).toBeDefined();
      },
    );
  });

  it('treats a deployment without open-amt.io/toolkit-release as v2.26.0 and reads the annotation otherwise', () => {
    expect(readDeploymentTarget(system(full))!.toolkitRelease).toBe('v2.26.0');
    const t = readDeploymentTarget(
      system({ ...full, 'open-amt.io/toolkit-release': 'v2.37.0' }),
    )!;
    expect(t.toolkitRelease).toBe('v2.37.0');
    expect(t.database?.toolkitRelease).toBe('v2.37.0');
    expect(t.problems).toEqual([]);
  });

  it('names an unknown release as a problem and leaves the release open', () => {
    const t = readDeploymentTarget(
      system({ ...full, 'open-amt.io/toolkit-release': 'v9.9.9' }),
    )!;
    expect(t.toolkitRelease).toBeUndefined();
    expect(t.database?.toolkitRelease).toBeUndefined();
    expect(t.problems).toEqual([
      expect.stringMatching(
        /^open-amt\.io\/toolkit-release: unknown release "v9\.9\.9"/,
      ),
    ]);
  });
});
