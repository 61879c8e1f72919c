import { InputError } from '@backstage/errors';
import {
  DeploymentSpec,
  DeploymentSpecError,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  builtInRenderProviders,
  bindRenderProviders,
  RenderProviders,
} from '../render/providers';

/** The spec input every action takes; validated by common's one schema, not by the action's JSON schema. */
export const specInputSchema = (z: any) =>
  z
    .record(z.any())
    .describe(
      'The deployment spec (name, owner, fqdn, target, images, replicas, database, secrets, gateway): see open-amt-common deploymentSpecSchema',
    );

/**
 * Parses the spec against the providers the module renders (built-ins plus added ones), turning DeploymentSpecError
 * into InputError naming each bad field (`spec.<path>`).
 */
export function parseSpecInput(
  input: unknown,
  providers: RenderProviders = builtInRenderProviders(),
): DeploymentSpec {
  try {
    return bindRenderProviders(
      parseDeploymentSpec(input, 'spec', providers.spec),
      providers,
    );
  } catch (error) {
    if (error instanceof DeploymentSpecError) {
      throw new InputError(
        error.issues.map(i => `${i.path}: ${i.message}`).join('; '),
      );
    }
    throw error;
  }
}
