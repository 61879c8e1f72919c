import { DATABASE_PROVIDERS } from '../providers/databases';
import { kitImageRef } from './providerKit';
import { toolkitRelease } from '../releases';

/**
 * The production template's form parameter that makes a run change an existing deployment: the System's entity
 * ref. Without it the template creates a deployment and refuses a name the catalog has.
 */
export const CHANGE_OF_PARAMETER = 'changeOf';

/** JSON form data, as the scaffolder's wizard takes it. */
export type ChangeFormData = Record<string, any>;
type Json = ChangeFormData;

/**
 * The production template's form data for changing a deployment, from the spec its System recorded
 * (recordedSpecOf): the inverse of the template's render step, which builds the spec from the form. The images the
 * release (or the kit build) supplies are left out, so the form shows no override; any other image is the
 * operator's own and stays as recorded. The spec's fields the form has no field for (jwtIssuer) are left out: the
 * diff action refuses a change of them, naming the field.
 */
export function changeFormDataOf(
  entityRef: string,
  recorded: Record<string, unknown>,
): ChangeFormData {
  return changeFormData(entityRef, recorded as Json);
}

function changeFormData(entityRef: string, recorded: Json): Json {
  const images: Json = recorded.images ?? {};
  const defaults = releaseImages(recorded);
  const own = (['mps', 'rps'] as const).some(
    s => images[s] !== undefined && !defaults[s].includes(images[s]),
  );
  const registry: string | undefined = images.registry;
  const registryPage = registry ? registryPageOf(recorded) : undefined;
  const withRegistry = (section: string): Json =>
    registryPage === section
      ? { ...recorded[section], imageRegistry: registry }
      : { ...recorded[section] };
  return dropUndefined({
    [CHANGE_OF_PARAMETER]: entityRef,
    name: recorded.name,
    owner: recorded.owner,
    description: recorded.description,
    environment: recorded.environment,
    fqdn: recorded.fqdn,
    target: recorded.target,
    namespace: recorded.namespace,
    toolkitRelease: recorded.toolkitRelease,
    images: dropUndefined({
      ownImages: own,
      mps: own ? images.mps : undefined,
      rps: own ? images.rps : undefined,
      mpsrouter:
        images.mpsrouter === defaults.mpsrouter[0]
          ? undefined
          : images.mpsrouter,
      webui: images.webui === defaults.webui[0] ? undefined : images.webui,
    }),
    replicas: recorded.replicas,
    monitoring: recorded.monitoring,
    database: withRegistry('database'),
    secrets: withRegistry('secrets'),
    gateway: recorded.gateway,
  });
}

/** Per service, the images the spec would get without an override: the release's, or the kit build's. */
function releaseImages(recorded: Json): Record<string, string[]> {
  let release;
  try {
    release = toolkitRelease(String(recorded.toolkitRelease));
  } catch {
    // An unknown release: nothing is a default, every recorded image stays an override.
    return { mps: [], rps: [], mpsrouter: [], webui: [] };
  }
  const registry: string | undefined = recorded.images?.registry;
  const built = (service: 'mps' | 'rps') =>
    registry
      ? [
          kitImageRef(
            registry,
            String(recorded.name),
            service,
            release.components[service].version,
          ),
        ]
      : [];
  return {
    mps: [release.components.mps.image, ...built('mps')],
    rps: [release.components.rps.image, ...built('rps')],
    mpsrouter: [release.components.mpsrouter.image],
    webui: [release.components.webui.image],
  };
}

/**
 * The form page whose provider asks for the image registry: the database's when it is beyond the upstream images,
 * else the store's (the template reads `database.imageRegistry or secrets.imageRegistry`, so either reaches the spec).
 */
function registryPageOf(recorded: Json): 'database' | 'secrets' {
  const database = (
    DATABASE_PROVIDERS as Record<string, { supportLevel: string }>
  )[recorded.database?.provider];
  // A native database: the store is the row beyond upstream. A database this package does not know (an adopter's):
  // the database page, which reaches the same spec.
  return database?.supportLevel === 'native' ? 'secrets' : 'database';
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  );
}
