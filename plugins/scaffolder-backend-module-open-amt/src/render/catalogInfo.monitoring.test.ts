/**
 * What the health engine reads from a rendered catalog-info.yaml. spec.monitoring: where the portal reaches
 * the services when the in-cluster names are not reachable from it (absent, they stay in-cluster). The
 * database probe's TLS mode and database names, and the secrets mount, come from the spec too.
 */
import {
  OPEN_AMT_ANNOTATIONS as A,
  parseDeploymentSpec,
  readDeploymentTarget,
} from '@open-amt-backstage/plugin-open-amt-common';
import { specFor } from '../__testUtils__/specs';
import { buildCatalogEntities } from './catalogInfo';

const eks = {
  database: 'amazon-rds-postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'eks',
} as const;

describe('catalog-info with spec.monitoring', () => {
  it('annotates the System and the service Components with the monitoring URLs', () => {
    const monitoring = {
      mpsUrl: 'http://mps.internal.example.com:3000',
      rpsUrl: 'http://rps.internal.example.com:8081',
      mpsRouterUrl: 'http://router.internal.example.com:8003',
      webUiUrl: 'https://amt.internal.example.com',
    };
    const entities = buildCatalogEntities(
      parseDeploymentSpec(specFor(eks, { monitoring })),
    );
    const target = readDeploymentTarget(entities[0] as any)!;
    expect(target.services).toEqual({
      mps: monitoring.mpsUrl,
      rps: monitoring.rpsUrl,
      mpsrouter: monitoring.mpsRouterUrl,
      webui: monitoring.webUiUrl,
    });
    const webui = entities.find(
      e => e.metadata.annotations[A.component] === 'webui',
    )!;
    expect(webui.metadata.annotations[A.webUiUrl]).toBe(monitoring.webUiUrl);
  });

  it('keeps the in-cluster names for the services it does not name', () => {
    const spec = parseDeploymentSpec(
      specFor(eks, { monitoring: { mpsUrl: 'http://10.0.0.5:3000' } }),
    );
    const target = readDeploymentTarget(buildCatalogEntities(spec)[0] as any)!;
    expect(target.services.mps).toBe('http://10.0.0.5:3000');
    expect(target.services.rps).toBe(
      `http://rps.${spec.namespace}.svc.cluster.local:8081`,
    );
    expect(target.services.webui).toBe(`https://${spec.gateway.publicHost}`);
  });

  it('points the CIRA probe at the fqdn on 4433, or at monitoring.ciraEndpoint, checking the fqdn either way', () => {
    const spec = parseDeploymentSpec(specFor(eks));
    const system = buildCatalogEntities(spec)[0];
    expect(system.metadata.annotations).toMatchObject({
      [A.mpsCommonName]: spec.fqdn,
      [A.ciraEndpoint]: `${spec.fqdn}:4433`,
    });
    expect(readDeploymentTarget(system as any)!.cira).toEqual({
      host: spec.fqdn,
      port: 4433,
      commonName: spec.fqdn,
    });

    const internal = parseDeploymentSpec(
      specFor(eks, {
        monitoring: { ciraEndpoint: 'mps-cira.internal.example.com:14433' },
      }),
    );
    expect(
      readDeploymentTarget(buildCatalogEntities(internal)[0] as any)!.cira,
    ).toEqual({
      host: 'mps-cira.internal.example.com',
      port: 14433,
      commonName: internal.fqdn,
    });
  });

  it('rejects a monitoring URL that is not http(s), naming the field', () => {
    expect(() =>
      parseDeploymentSpec(specFor(eks, { monitoring: { rpsUrl: 'ftp://x' } })),
    ).toThrow(/monitoring\.rpsUrl/);
  });
});

describe('catalog-info database and secrets annotations', () => {
  it('carries the TLS mode, the database names and the Vault mount the engine probes with', () => {
    const spec = parseDeploymentSpec(
      specFor(eks, {
        environment: 'staging',
        database: {
          provider: 'amazon-rds-postgresql',
          host: '127.0.0.1',
          port: 5432,
          tlsMode: 'disable',
          rpsDatabase: 'rps_x',
          mpsDatabase: 'mps_x',
        },
        secrets: {
          provider: 'vault',
          address: 'http://127.0.0.1:8200',
          mount: 'secret',
          pathPrefix: 'open-amt',
        },
      }),
    );
    const target = readDeploymentTarget(buildCatalogEntities(spec)[0] as any)!;
    expect(target.problems).toEqual([]);
    expect(target.database).toMatchObject({
      host: '127.0.0.1',
      port: 5432,
      tlsMode: 'disable',
      rpsDatabase: 'rps_x',
      mpsDatabase: 'mps_x',
    });
    expect(target.secrets).toEqual({
      provider: 'vault',
      endpoint: 'http://127.0.0.1:8200',
      mount: 'secret',
    });
  });
});
