/**
 * images.kit-bundles over every combination of every release, and the defects it guards injected into rendered
 * outputs: a wrong application folder, a provider name the deployment does not set, an unpinned FROM, a changed
 * user, a writable bundle, and a deployment image nobody pushes.
 */
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../render';
import { allCombinations, specFor } from '../specs';
import { inject, rendered } from './fixtures';
import { RenderedOutput } from './output';
import { kitImagesRule } from './rules/kitImages';

const MARIADB_EKS = rendered({
  database: 'mariadb',
  secrets: 'aws-kms',
  gateway: 'kong',
  target: 'eks',
});
const KEYVAULT_COMPOSE = rendered({
  database: 'postgresql',
  secrets: 'azure-key-vault',
  gateway: 'kong',
  target: 'compose',
});

describe('images.kit-bundles', () => {
  it('is the rule this suite tests', () => {
    expect(kitImagesRule.id).toBe('images.kit-bundles');
  });

  it.each(TOOLKIT_RELEASE_IDS)(
    'every combination of release %s conforms',
    release => {
      const violations: string[] = [];
      let built = 0;
      for (const c of allCombinations()) {
        const spec = parseDeploymentSpec({
          ...specFor(c),
          toolkitRelease: release,
        });
        const out = new RenderedOutput(spec, renderDeployment(spec));
        if (out.file('images/mps/Dockerfile')) built++;
        violations.push(
          ...kitImagesRule.check(out).map(v => `${spec.name}: ${v}`),
        );
      }
      expect(violations.slice(0, 20)).toEqual([]);
      // 15 of the 18 database × store pairs need the kit, on 4 targets × 5 gateways.
      expect(built).toBe(15 * 20);
    },
  );

  it('holds for both services and both providers, and for a store-only kit row', () => {
    expect(kitImagesRule.check(MARIADB_EKS)).toEqual([]);
    expect(MARIADB_EKS.file('images/rps/Dockerfile')).toContain(
      'COPY --chown=0:0 --chmod=0444 dist/secrets/aws-secrets-manager/index.js /rps/dist/secrets/aws-secrets-manager/index.js',
    );
    expect(kitImagesRule.check(KEYVAULT_COMPOSE)).toEqual([]);
  });

  it('fails on a wrong application folder', () => {
    const defect = inject(
      MARIADB_EKS,
      'images/mps/Dockerfile',
      / \/mps\/dist\/data\/mariadb\/index\.js/,
      ' /app/dist/data/mariadb/index.js',
    );
    expect(kitImagesRule.check(defect)).toEqual([
      "images/mps/Dockerfile: nothing is copied to /mps/dist/data/mariadb/index.js, where mps's factory imports the data provider mariadb (MPS_DB_PROVIDER)",
    ]);
  });

  it('fails when the copied provider is not the one the deployment names', () => {
    const defect = inject(
      KEYVAULT_COMPOSE,
      'images/rps/Dockerfile',
      /dist\/secrets\/azure-key-vault\/index\.js \/rps\/dist\/secrets\/azure-key-vault\/index\.js/,
      'dist/secrets/azure-keyvault/index.js /rps/dist/secrets/azure-keyvault/index.js',
    );
    expect(kitImagesRule.check(defect).join('\n')).toMatch(
      /nothing is copied to \/rps\/dist\/secrets\/azure-key-vault\/index.js, where rps's factory imports the secrets provider azure-key-vault \(RPS_SECRETS_PROVIDER\)/,
    );
    // A bundle the repository does not hold.
    const missing = inject(
      KEYVAULT_COMPOSE,
      'images/rps/Dockerfile',
      /COPY (\S+ \S+) dist\/secrets\/azure-key-vault\/index\.js/,
      'COPY $1 dist/secrets/vault/index.js',
    );
    expect(kitImagesRule.check(missing).join('\n')).toMatch(
      /copies dist\/secrets\/vault\/index.js to \/rps\/dist\/secrets\/azure-key-vault\/index.js, but the repository holds no such bundle/,
    );
  });

  it('fails on an unpinned or foreign FROM, another USER, a writable bundle', () => {
    const unpinned = inject(
      MARIADB_EKS,
      'images/mps/Dockerfile',
      /^FROM .*$/m,
      'FROM intel/device-mgmt-toolkit-mps:latest',
    );
    expect(kitImagesRule.check(unpinned)).toEqual([
      "images/mps/Dockerfile: FROM intel/device-mgmt-toolkit-mps:latest is not the release's pinned intel/device-mgmt-toolkit-mps:v2.34.1",
    ]);
    const root = inject(
      MARIADB_EKS,
      'images/rps/Dockerfile',
      /^USER node$/m,
      'USER root',
    );
    expect(kitImagesRule.check(root)).toEqual([
      "images/rps/Dockerfile: USER root is not the image's node (uid 1000)",
    ]);
    const writable = inject(
      MARIADB_EKS,
      'images/rps/Dockerfile',
      /--chmod=0444 dist\/data/,
      '--chmod=0666 dist/data',
    );
    expect(kitImagesRule.check(writable)).toEqual([
      'images/rps/Dockerfile: /rps/dist/data/mariadb/index.js is writable by node (--chmod=0666)',
    ]);
  });

  it('fails when the deployment runs an image the workflow and the script do not push, or the upstream one', () => {
    const image = MARIADB_EKS.spec.images.mps;
    const other = image.replace('-kit', '-kat');
    const workflow = inject(
      MARIADB_EKS,
      '.github/workflows/build-images.yaml',
      image,
      other,
    );
    expect(kitImagesRule.check(workflow)).toEqual([
      `mps runs ${image}, but .github/workflows/build-images.yaml pushes ${other} for it`,
    ]);
    const script = inject(
      MARIADB_EKS,
      'scripts/build-images.sh',
      new RegExp(`'${image.replace(/[.]/g, '\\.')}'`, 'g'),
      `'${other}'`,
    );
    expect(kitImagesRule.check(script).join('\n')).toMatch(
      `mps runs ${image}, which no runbook step pushes`,
    );
    const upstream = new RenderedOutput(
      MARIADB_EKS.spec,
      MARIADB_EKS.files.filter(f => !f.path.startsWith('images/')),
    ).withFile(
      'kubernetes/mps.yaml',
      MARIADB_EKS.file('kubernetes/mps.yaml')!.replace(
        image,
        'intel/device-mgmt-toolkit-mps:v2.34.1',
      ),
    );
    expect(kitImagesRule.check(upstream).join('\n')).toMatch(
      /mps runs the upstream intel\/device-mgmt-toolkit-mps:v2.34.1, which has no data\/mariadb, secrets\/aws-secrets-manager provider/,
    );
  });

  it('fails on a workflow action pinned to a tag', () => {
    const defect = inject(
      KEYVAULT_COMPOSE,
      '.github/workflows/build-images.yaml',
      /actions\/checkout@[0-9a-f]{40}/,
      'actions/checkout@v4',
    );
    expect(kitImagesRule.check(defect)).toEqual([
      '.github/workflows/build-images.yaml uses actions/checkout@v4, not pinned to a commit',
    ]);
  });
});
