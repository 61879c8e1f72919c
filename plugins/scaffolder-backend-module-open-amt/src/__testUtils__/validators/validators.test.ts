/** The checkers reject what they exist to catch (so a green 360-combination run means something). */
import {
  parseDeploymentSpec,
  REQUIRED_GATEWAY_ROUTES,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../render';
import { buildKongConfig } from '../../render/gateways/kong';
import { buildCatalogEntities } from '../../render/catalogInfo';
import { buildKubernetesManifests } from '../../render/kubernetes';
import { specFor } from '../specs';
import { checkBicep } from './bicep';
import { checkCatalogEntities } from './catalog';
import { checkCloudFormation } from './cloudFormation';
import { checkWithDockerCompose, requireDockerCompose } from './dockerCompose';
import { checkKongConfig } from './kong';
import { checkKubernetesObject, checkKubernetesWiring } from './kubernetes';

const spec = parseDeploymentSpec(
  specFor({
    database: 'postgresql',
    secrets: 'vault',
    gateway: 'kong',
    target: 'kubernetes',
  }),
);
const opts = { issuer: spec.jwtIssuer, routes: REQUIRED_GATEWAY_ROUTES };

describe('validators', () => {
  it('Kong: format 3.0, ~ on regex paths, references, issuer as JWT key', () => {
    expect(checkKongConfig(buildKongConfig(spec), opts)).toEqual([]);
    const c = buildKongConfig(spec) as any;
    c._format_version = '2.1';
    c.services[0].routes[0].paths = ['/mps/login/api/v1/authorize$'];
    c.consumers[0].jwt_secrets[0].key = 'someone-else';
    c.plugins[0].route = 'nope';
    const issues = checkKongConfig(c, opts);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('_format_version'),
        expect.stringContaining('lacks the ~ prefix'),
        expect.stringContaining('not the MPS issuer'),
        expect.stringContaining('unknown route nope'),
      ]),
    );
  });

  it('Kubernetes: kubernetes-models rejects a broken Deployment; wiring finds an env with both a value and a secretKeyRef', () => {
    const objects = Object.values(
      buildKubernetesManifests(spec),
    ).flat() as any[];
    expect(objects.flatMap(checkKubernetesObject)).toEqual([]);
    expect(checkKubernetesWiring(objects)).toEqual([]);
    const deployment = JSON.parse(
      JSON.stringify(
        objects.find(o => ['Deployment', 'StatefulSet'].includes(o.kind)),
      ),
    );
    delete deployment.spec.selector;
    expect(checkKubernetesObject(deployment)[0]).toMatch(/selector/);
    deployment.spec.selector = { matchLabels: {} };
    deployment.spec.template.spec.containers[0].env.push({
      name: 'X',
      value: 'v',
      valueFrom: { secretKeyRef: { name: 'missing', key: 'k' } },
    });
    expect(checkKubernetesWiring([...objects, deployment]).join()).toMatch(
      /env X has both value and secretKeyRef/,
    );
    expect(
      checkKubernetesObject({
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).toHaveLength(1);
  });

  it('CloudFormation: unresolved Ref / Sub variables', () => {
    const t = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { P: { Type: 'String' } },
      Resources: {
        A: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: { Ref: 'Q' },
            Tags: [{ Key: 'k', Value: { 'Fn::Sub': '${P}-${Nope}' } }],
          },
        },
      },
    };
    expect(checkCloudFormation(t)).toEqual([
      expect.stringContaining('Ref Q'),
      expect.stringContaining('Nope'),
    ]);
  });

  it('Bicep: unbalanced braces, undeclared parent, plain secret parameter', () => {
    const bad =
      "param dbPassword string\nresource a 'Microsoft.Web/sites@2023-01-01' = {\n  parent: ghost\n";
    expect(checkBicep(bad, new Set(), '.')).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unclosed'),
        expect.stringContaining('ghost'),
        expect.stringContaining('@secure'),
      ]),
    );
  });

  it('catalog: @backstage/catalog-model rejects bad entities and dangling relations', async () => {
    const entities = buildCatalogEntities(spec) as any[];
    await expect(checkCatalogEntities(entities)).resolves.toEqual([]);
    const broken = JSON.parse(JSON.stringify(entities));
    broken[1].metadata.name = 'Not A Valid Name!';
    broken[2].spec.dependsOn.push('resource:default/ghost');
    const issues = await checkCatalogEntities(broken);
    expect(issues.join('\n')).toMatch(/Not A Valid Name/);
    expect(issues.join('\n')).toMatch(/ghost/);
  });

  it('docker-compose rejects a top-level name: key', () => {
    if (!requireDockerCompose()) return;
    const s = parseDeploymentSpec(
      specFor({
        database: 'postgresql',
        secrets: 'vault',
        gateway: 'kong',
        target: 'compose',
      }),
    );
    const files = renderDeployment(s);
    expect(checkWithDockerCompose(files)).toEqual([]);
    const withName = files.map(f =>
      f.path === 'docker-compose.yml'
        ? { ...f, content: `name: x\n${f.content}` }
        : f,
    );
    expect(checkWithDockerCompose(withName)[0]).toMatch(
      /docker-compose config/,
    );
  });
});
