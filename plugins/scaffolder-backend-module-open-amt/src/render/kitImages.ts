/**
 * The MPS and RPS images a deployment builds when its database or store needs a provider the upstream images lack:
 * per service `images/<service>/Dockerfile`, FROM the release's image, adding the provider kit's bundles where the
 * service's factories import them, and `images/bundles.json` naming the bundles. The bundle files themselves are
 * written beside the Dockerfiles by whatever writes the rendered files (the render action, `npm run render`), from
 * the kit: the render stays pure and light.
 */
import {
  builtImageServices,
  DeploymentSpec,
  kitBundleNames,
  PROVIDER_KIT,
  ProviderKitKind,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderProvidersOf } from './providers';
import { RenderedFile } from './types';

export type KitService = 'mps' | 'rps';

/** One bundle an image carries: the kit's file for (service, kind, name), and where the repository holds it. */
export interface KitBundleFile {
  service: KitService;
  kind: ProviderKitKind;
  /** The value of <SERVICE>_DB_PROVIDER / <SERVICE>_SECRETS_PROVIDER. */
  name: string;
  /** Relative to the service's build context (`images/<service>/`) and to its application folder in the image. */
  inImage: string;
  /** Relative to the repository's root. */
  path: string;
}

export const BUNDLES_MANIFEST = 'images/bundles.json';

/** The services whose image this repository builds. */
export const builtServices = (spec: DeploymentSpec): KitService[] =>
  builtImageServices(spec, renderProvidersOf(spec).spec);

/** The bundle files the built images need, which the writer of the rendered files adds from the kit. */
export function kitBundleFiles(spec: DeploymentSpec): KitBundleFile[] {
  const names = kitBundleNames(spec, renderProvidersOf(spec).spec);
  return builtServices(spec).flatMap(service =>
    names.map(({ kind, name }) => {
      const inImage = `dist/${kind}/${name}/index.js`;
      return {
        service,
        kind,
        name,
        inImage,
        path: `images/${service}/${inImage}`,
      };
    }),
  );
}

function dockerfile(
  spec: DeploymentSpec,
  service: KitService,
  bundles: KitBundleFile[],
): string {
  const component = releaseOf(spec).components[service];
  const appDir = component.appDir;
  if (!appDir)
    throw new Error(`release ${spec.toolkitRelease} has no ${service} appDir`);
  return [
    `# ${service.toUpperCase()} v${component.version} with the provider kit ${
      PROVIDER_KIT.version
    }'s providers: ${bundles.map(b => b.name).join(', ')}.`,
    '# Generated; scripts/build-images.sh and .github/workflows/build-images.yaml build it. The upstream image',
    `# runs \`node ${appDir}/dist/...\` as ${component.user.name} (uid ${component.user.uid}); its factories import`,
    `# ${appDir}/dist/<data|secrets>/<provider>/index.js, where each bundle goes, owned by root and read-only`,
    '# (COPY --chmod needs BuildKit, the default builder since Docker 23).',
    `FROM ${component.image}`,
    ...bundles.map(
      b => `COPY --chown=0:0 --chmod=0444 ${b.inImage} ${appDir}/${b.inImage}`,
    ),
    `USER ${component.user.name}`,
    '',
  ].join('\n');
}

export function renderKitImages(spec: DeploymentSpec): RenderedFile[] {
  const bundles = kitBundleFiles(spec);
  if (bundles.length === 0) return [];
  return [
    ...builtServices(spec).map(service => ({
      path: `images/${service}/Dockerfile`,
      content: dockerfile(
        spec,
        service,
        bundles.filter(b => b.service === service),
      ),
    })),
    {
      path: BUNDLES_MANIFEST,
      content: `${JSON.stringify(
        {
          kit: PROVIDER_KIT.version,
          bundles: bundles.map(({ service, kind, name, path }) => ({
            service,
            kind,
            name,
            path,
          })),
        },
        null,
        2,
      )}\n`,
    },
  ];
}
