/**
 * How the images of kitImages.ts get built and pushed to the registry the spec names: a GitHub Actions workflow
 * (build, scan, push; OIDC to ACR and ECR, GITHUB_TOKEN to GHCR) and `scripts/build-images.sh`, the runbook's one
 * command for the same without the scan.
 */
import {
  DeploymentSpec,
  ImageRegistry,
  parseImageRegistry,
} from '@open-amt-backstage/plugin-open-amt-common';
import { builtServices, KitService } from './kitImages';
import { RunbookStep, youProvide } from './runbookStep';
import { scriptHeader } from './shellScript';
import { RenderedFile } from './types';
import { toYaml } from './yaml';

export const BUILD_IMAGES_WORKFLOW = '.github/workflows/build-images.yaml';
export const BUILD_IMAGES_SCRIPT = 'scripts/build-images.sh';

/** Third-party actions, pinned to their commits; the workflow names each one's release tag in a comment. */
const PINNED_ACTIONS = {
  checkout: [
    'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
    'v4.2.2',
  ],
  setupBuildx: [
    'docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435',
    'v3.11.1',
  ],
  buildPush: [
    'docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83',
    'v6.18.0',
  ],
  trivy: [
    'aquasecurity/trivy-action@ed142fd0673e97e23eac54620cfb913e5ce36c25',
    'v0.36.0',
  ],
  dockerLogin: [
    'docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772',
    'v3.4.0',
  ],
  azureLogin: [
    'azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5',
    'v2.3.0',
  ],
  awsCredentials: [
    'aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df',
    'v4.2.1',
  ],
  ecrLogin: [
    'aws-actions/amazon-ecr-login@062b18b96a7aff071d4dc91bc00c4c1a7945b076',
    'v2.0.1',
  ],
} as const;

export const WORKFLOW_ACTIONS = Object.fromEntries(
  Object.entries(PINNED_ACTIONS).map(([k, [ref]]) => [k, ref]),
) as { [K in keyof typeof PINNED_ACTIONS]: (typeof PINNED_ACTIONS)[K][0] };

/** `uses: <action>@<commit>` lines get ` # <tag>`, as Dependabot and reviewers read them. */
const withTagComments = (text: string) =>
  Object.values(PINNED_ACTIONS).reduce(
    (t, [ref, tag]) =>
      t.split(`uses: ${ref}\n`).join(`uses: ${ref} # ${tag}\n`),
    text,
  );

function registryOf(spec: DeploymentSpec): ImageRegistry {
  const registry = parseImageRegistry(spec.images.registry ?? '');
  if (!registry)
    throw new Error(`images.registry ${spec.images.registry} is not parsed`);
  return registry;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The login step(s) of the workflow job and the permissions they need beyond `contents: read`. */
function workflowLogin(registry: ImageRegistry): {
  permissions: Record<string, string>;
  steps: Record<string, unknown>[];
} {
  switch (registry.kind) {
    case 'ghcr':
      return {
        permissions: { packages: 'write' },
        steps: [
          {
            name: 'Log in to GHCR',
            uses: WORKFLOW_ACTIONS.dockerLogin,
            with: {
              registry: 'ghcr.io',
              username: '${{ github.actor }}',
              password: '${{ secrets.GITHUB_TOKEN }}',
            },
          },
        ],
      };
    case 'acr':
      return {
        permissions: { 'id-token': 'write' },
        steps: [
          {
            name: 'Log in to Azure (OIDC: a federated credential of the app registration)',
            uses: WORKFLOW_ACTIONS.azureLogin,
            with: {
              'client-id': '${{ vars.AZURE_CLIENT_ID }}',
              'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
              'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
            },
          },
          {
            name: `Log in to ${registry.host} (AcrPush on the registry)`,
            run: `az acr login --name ${registry.name}`,
          },
        ],
      };
    case 'ecr':
      return {
        permissions: { 'id-token': 'write' },
        steps: [
          {
            name: 'Assume the push role (OIDC: its trust policy names this repository)',
            uses: WORKFLOW_ACTIONS.awsCredentials,
            with: {
              'role-to-assume': '${{ vars.AWS_ROLE_ARN }}',
              'aws-region': registry.region,
            },
          },
          {
            name: `Log in to ${registry.host}`,
            uses: WORKFLOW_ACTIONS.ecrLogin,
            with: { registries: registry.account, 'mask-password': 'true' },
          },
        ],
      };
    default: {
      const never: never = registry;
      throw new Error(`unknown registry ${JSON.stringify(never)}`);
    }
  }
}

function workflow(spec: DeploymentSpec, services: KitService[]): string {
  const registry = registryOf(spec);
  const login = workflowLogin(registry);
  const doc = {
    name: 'Build MPS and RPS images',
    on: {
      push: {
        branches: ['main'],
        paths: ['images/**', BUILD_IMAGES_WORKFLOW],
      },
      workflow_dispatch: {},
    },
    // Nothing by default; the job asks for what it uses.
    permissions: {},
    jobs: {
      image: {
        name: '${{ matrix.service }}',
        'runs-on': 'ubuntu-24.04',
        permissions: { contents: 'read', ...login.permissions },
        strategy: {
          'fail-fast': false,
          matrix: {
            include: services.map(service => ({
              service,
              image: spec.images[service],
            })),
          },
        },
        steps: [
          {
            uses: WORKFLOW_ACTIONS.checkout,
            with: { 'persist-credentials': false },
          },
          ...login.steps,
          { uses: WORKFLOW_ACTIONS.setupBuildx },
          {
            name: 'Build',
            uses: WORKFLOW_ACTIONS.buildPush,
            with: {
              context: 'images/${{ matrix.service }}',
              pull: true,
              load: true,
              push: false,
              tags: '${{ matrix.image }}',
            },
          },
          {
            name: 'Scan (a CRITICAL finding stops the push)',
            uses: WORKFLOW_ACTIONS.trivy,
            with: {
              'image-ref': '${{ matrix.image }}',
              severity: 'CRITICAL',
              'exit-code': '1',
            },
          },
          {
            name: 'Push',
            run: 'docker push "$IMAGE"',
            env: { IMAGE: '${{ matrix.image }}' },
          },
        ],
      },
    },
  };
  return `# Builds the MPS and RPS images this deployment runs (FROM the release's images, with the provider kit's\n# providers), scans them and pushes them to ${
    registry.host
  }. Generated; scripts/build-images.sh does the same\n# without the scan.\n${withTagComments(
    toYaml(doc),
  )}`;
}

function script(spec: DeploymentSpec, services: KitService[]): string {
  return `${[
    ...scriptHeader(
      `Builds the MPS and RPS images this deployment runs and pushes them to ${spec.images.registry} (log in first: README.md).`,
      '..',
    ),
    ...services.flatMap(service => [
      `docker build --pull --tag ${quote(
        spec.images[service],
      )} images/${service}`,
      `docker push ${quote(spec.images[service])}`,
    ]),
  ].join('\n')}\n`;
}

export function renderBuildImages(spec: DeploymentSpec): RenderedFile[] {
  const services = builtServices(spec);
  if (services.length === 0) return [];
  return [
    { path: BUILD_IMAGES_WORKFLOW, content: workflow(spec, services) },
    { path: BUILD_IMAGES_SCRIPT, content: script(spec, services) },
  ];
}

/** The operator's login to the registry, as commands. */
function loginCommands(registry: ImageRegistry): string[] {
  switch (registry.kind) {
    case 'ghcr':
      return [
        youProvide('$GHCR_USER', 'your GitHub user name'),
        youProvide(
          '$GHCR_TOKEN',
          `a GitHub token allowed to write packages of ${registry.owner}`,
        ),
        'printf \'%s\' "$GHCR_TOKEN" | docker login ghcr.io --username "$GHCR_USER" --password-stdin',
      ];
    case 'acr':
      return [`az acr login --name ${registry.name}`];
    case 'ecr':
      return [
        `aws ecr get-login-password --region ${registry.region} | docker login --username AWS --password-stdin ${registry.host}`,
      ];
    default: {
      const never: never = registry;
      throw new Error(`unknown registry ${JSON.stringify(never)}`);
    }
  }
}

/** The runbook's step that builds and pushes the images (none when the deployment runs the release's or its own). */
export function buildImagesSteps(spec: DeploymentSpec): RunbookStep[] {
  const services = builtServices(spec);
  if (services.length === 0) return [];
  const registry = registryOf(spec);
  return [
    {
      text: `Build ${services
        .map(s => `\`${spec.images[s]}\``)
        .join(
          ' and ',
        )} (the release's images with the provider kit's providers, \`images/\`) and push them to \`${
        registry.host
      }\`: log in, then run \`${BUILD_IMAGES_SCRIPT}\` on a machine with Docker (BuildKit). \`${BUILD_IMAGES_WORKFLOW}\` does the same on every push to main, scanning them first${
        registry.kind === 'ghcr'
          ? ''
          : ` (set the repository variables ${
              registry.kind === 'acr'
                ? '`AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_SUBSCRIPTION_ID` of an app registration with a federated credential for this repository and AcrPush on the registry'
                : `\`AWS_ROLE_ARN\`: a role this repository may assume through GitHub OIDC, allowed to push to the repositories; create the repositories ${services
                    .map(
                      s =>
                        `\`${
                          spec.images[s]
                            .slice(registry.host.length + 1)
                            .split(':')[0]
                        }\``,
                    )
                    .join(' and ')} first: ECR does not create them on push`
            })`
      }.`,
      commands: [...loginCommands(registry), BUILD_IMAGES_SCRIPT],
    },
  ];
}
