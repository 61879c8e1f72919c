/**
 * The deployment a rotation works on, read from its System in the catalog with the module's own service credentials
 * (the user may lack read access; the store and database credentials are theirs to give). Each failure names the
 * input or annotation to fix, before anything is contacted.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentTarget,
  OPEN_AMT_ANNOTATIONS,
  readDeploymentTarget,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { RenderProviders } from '../../render/providers';

export async function deploymentOfEntity(
  ref: string | undefined,
  catalog: CatalogService | undefined,
  auth: AuthService | undefined,
  providers: RenderProviders,
): Promise<DeploymentTarget> {
  let entityRef: string;
  try {
    entityRef = stringifyEntityRef(
      parseEntityRef(ref?.trim() ?? '', { defaultKind: 'system' }),
    );
  } catch {
    throw new InputError(
      `deployment must be an entity reference of a System, e.g. system:default/amt-prod (got "${
        ref ?? ''
      }")`,
    );
  }
  if (!entityRef.startsWith('system:'))
    throw new InputError(`deployment: ${entityRef} is not a System`);
  if (!catalog || !auth)
    throw new InputError(
      'deployment: this portal wires no catalog into the Open AMT scaffolder module, so the deployment cannot be read',
    );
  const credentials = await auth.getOwnServiceCredentials();
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity)
    throw new InputError(`deployment: the catalog has no ${entityRef}`);
  const deployment = readDeploymentTarget(entity, {
    addedProviders: {
      secrets: Object.keys(providers.secretStores),
      gateway: Object.keys(providers.gateways),
      database: Object.fromEntries(
        Object.entries(providers.databases).map(([id, r]) => [
          id,
          { defaultPort: r.info.defaultPort },
        ]),
      ),
    },
  });
  if (!deployment)
    throw new InputError(
      `deployment: ${entityRef} is not an Open AMT deployment (no ${OPEN_AMT_ANNOTATIONS.deployment} annotation)`,
    );
  return deployment;
}

/** The annotation-level problems of one part, as the sentence an error carries. */
export function problemsOf(deployment: DeploymentTarget, annotation: string) {
  return deployment.problems.filter(p => p.includes(annotation)).join(' ');
}
