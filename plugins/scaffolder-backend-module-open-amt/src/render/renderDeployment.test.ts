/**
 * Every combination (6 databases × 3 stores × 5 gateways × 4 targets) renders, and every artifact passes
 * its validator (see __testUtils__/validators). docker-compose runs on all 90 compose combinations.
 */
import {
  GATEWAY_PROVIDERS,
  parseDeploymentSpec,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { allCombinations, specFor } from '../__testUtils__/specs';
import { validateRenderedFiles } from '../__testUtils__/validators';
import {
  checkManyWithDockerCompose,
  requireDockerCompose,
} from '../__testUtils__/validators/dockerCompose';
import {
  checkWithKustomize,
  requireKubectl,
} from '../__testUtils__/validators/kubectlKustomize';
import { renderDeployment } from '.';

jest.setTimeout(240_000);

const combos = allCombinations();

describe('renderDeployment over all combinations', () => {
  it('covers 360 combinations', () => {
    expect(combos).toHaveLength(360);
  });

  it('renders every combination into artifacts that pass their validators', async () => {
    let artifacts = 0;
    const failures: string[] = [];
    for (const c of combos) {
      const spec = parseDeploymentSpec(specFor(c));
      const files = renderDeployment(spec);
      const report = await validateRenderedFiles(spec, files);
      artifacts += report.artifacts;
      failures.push(...report.issues.map(i => `${spec.name}: ${i}`));
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(
      `validated ${artifacts} artifacts over ${combos.length} combinations`,
    );
    expect(artifacts).toBeGreaterThan(combos.length * 10);
  });

  it('docker-compose 1.29 accepts every compose combination', async () => {
    if (!requireDockerCompose()) return;
    const composeCombos = combos.filter(
      c => TARGETS[c.target].platform === 'compose',
    );
    expect(composeCombos).toHaveLength(90);
    const sets = composeCombos.map(c => {
      const spec = parseDeploymentSpec(specFor(c));
      return { name: spec.name, files: renderDeployment(spec) };
    });
    await expect(checkManyWithDockerCompose(sets)).resolves.toEqual([]);
  });

  it('leaves out the parts the user replaced and adds the gateway only when it runs beside the services', () => {
    for (const gateway of ['kong', 'tyk', 'azure-apim'] as const) {
      const spec = parseDeploymentSpec(
        specFor({
          database: 'postgresql',
          secrets: 'vault',
          gateway,
          target: 'compose',
        }),
      );
      const compose = renderDeployment(spec).find(
        f => f.path === 'docker-compose.yml',
      )!.content;
      expect(compose).not.toMatch(/^ {2}(db|vault|postgres):/m);
      expect(compose.includes('\n  kong:')).toBe(gateway === 'kong');
      expect(compose.includes('\n  tyk:')).toBe(gateway === 'tyk');
      expect(compose).not.toMatch(/^name:/m);
    }
  });

  it('generates the extra load balancers a gateway needs, and only those', () => {
    for (const c of combos.filter(
      x => x.database === 'postgresql' && x.secrets === 'vault',
    )) {
      const spec = parseDeploymentSpec(specFor(c));
      const files = renderDeployment(spec);
      const info = GATEWAY_PROVIDERS[c.gateway];
      const readme = files.find(f => f.path === 'README.md')!.content;
      for (const lb of info.extraLoadBalancers) expect(readme).toContain(lb);
      const kubernetes = TARGETS[c.target].platform === 'kubernetes';
      const lbs =
        files.find(f => f.path === 'kubernetes/load-balancers.yaml')?.content ??
        '';
      expect(lbs.includes('name: mps-cira')).toBe(
        kubernetes && !info.carriesCiraTcp,
      );
      expect(lbs.includes('kind: Ingress')).toBe(
        kubernetes && !info.carriesWebsockets,
      );
      // On a VM the cloud load balancer for CIRA is part of the gateway's infrastructure files.
      const vmCiraLb = files.some(
        f =>
          /gateway\/.*(load-balancer|nlb|apim\.bicep)/.test(f.path) &&
          /4433|CIRA_PORT|CiraNlb/.test(f.content) &&
          f.content.includes('4433'),
      );
      expect(vmCiraLb).toBe(!kubernetes && !info.carriesCiraTcp);
    }
  });

  it('says what the CIRA check does and that the portal must be allowed to reach the endpoint', () => {
    const readmeOf = (overrides: Record<string, unknown> = {}) => {
      const spec = parseDeploymentSpec(
        specFor(
          {
            database: 'postgresql',
            secrets: 'vault',
            gateway: 'azure-apim',
            target: 'aks',
          },
          overrides,
        ),
      );
      return {
        spec,
        readme: renderDeployment(spec).find(f => f.path === 'README.md')!
          .content,
      };
    };
    const { spec, readme } = readmeOf();
    expect(readme).toContain('## CIRA endpoint health check');
    expect(readme).toContain(`one TLS handshake with \`${spec.fqdn}:4433\``);
    expect(readme).toMatch(
      /terminating TLS instead of passing TCP 4433 through to MPS/,
    );
    expect(readme).toContain(
      `\`openAmt.health.allowedHosts\` in the portal's configuration must cover \`${spec.fqdn}\``,
    );
    const internal = readmeOf({
      monitoring: { ciraEndpoint: '10.0.4.20:4433' },
    }).readme;
    expect(internal).toContain('one TLS handshake with `10.0.4.20:4433`');
    expect(internal).toContain('must cover `10.0.4.20`');
  });

  it('names the kit providers this repository builds into the images it runs', () => {
    const spec = parseDeploymentSpec(
      specFor({
        database: 'mariadb',
        secrets: 'azure-key-vault',
        gateway: 'kong',
        target: 'aks',
      }),
    );
    const readme = renderDeployment(spec).find(
      f => f.path === 'README.md',
    )!.content;
    expect(readme).toContain('## Provider kit (required)');
    expect(readme).toContain('`scripts/build-images.sh`');
    expect(readme).not.toContain('`IDB`');
    expect(readme).not.toContain('`ISecretManagerService`');
    expect(readme).toContain('`db_provider` = `mariadb`');
    expect(readme).toContain('`secrets_provider` = `azure-key-vault`');
    expect(readme).toContain(spec.images.mps);
    expect(readme).toContain(spec.images.rps);
  });

  it('kubectl kustomize builds every Kubernetes output of each gateway and target, with every object', () => {
    if (!requireKubectl()) return;
    // The gateway and the target shape the manifests; database and store change values (and one store's extras).
    const sample = combos.filter(
      c =>
        TARGETS[c.target].platform === 'kubernetes' &&
        c.database === 'amazon-rds-postgresql' &&
        c.secrets === 'vault',
    );
    expect(sample).toHaveLength(15);
    const failures = sample.flatMap(c => {
      const spec = parseDeploymentSpec(specFor(c));
      return checkWithKustomize(renderDeployment(spec)).map(
        i => `${spec.name}: ${i}`,
      );
    });
    expect(failures).toEqual([]);
  });
});
