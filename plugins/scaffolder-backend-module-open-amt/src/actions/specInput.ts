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
 * The labels the open-amt-production template's form gives spec fields (without "(optional)"; templateForm.test.ts
 * keeps them equal to the template's titles), so the task names a bad field as the person filled it in: "MPS FQDN (spec.fqdn) must be …".
 */
export const SPEC_FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  owner: 'Owner',
  description: 'Description',
  environment: 'Environment',
  fqdn: 'MPS FQDN',
  target: 'Target',
  toolkitRelease: 'Toolkit release',
  'images.mpsrouter': 'MPS Router image',
  'images.webui': 'Web UI image',
  'images.mps': 'MPS image',
  'images.rps': 'RPS image',
  'replicas.mps': 'MPS',
  'replicas.rps': 'RPS',
  'replicas.mpsrouter': 'MPS Router',
  'replicas.webui': 'Web UI',
  'monitoring.mpsUrl': 'MPS REST URL',
  'monitoring.rpsUrl': 'RPS REST URL',
  'monitoring.mpsRouterUrl': 'MPS Router URL',
  'monitoring.webUiUrl': 'Web UI URL',
  'monitoring.ciraEndpoint': 'MPS CIRA endpoint',
  'database.provider': 'Database',
  'database.host': 'Server host name',
  'database.port': 'Port',
  'database.tlsMode': 'TLS',
  'database.caCertSecret': 'CA bundle entry',
  'database.adminUser': 'Administrator user',
  'database.rpsDatabase': 'RPS database',
  'database.mpsDatabase': 'MPS database',
  'secrets.provider': 'Secrets store',
  'gateway.provider': 'API gateway',
  'gateway.publicHost': 'Public host name',
};

/** `MPS FQDN (spec.fqdn) must be …` for a field the form labels, `spec.x.y: …` otherwise; each sentence once. */
export function describeSpecIssues(
  issues: { path: string; message: string }[],
  pathPrefix = 'spec',
): string {
  const lines = issues.map(({ path, message }) => {
    const field = path.startsWith(`${pathPrefix}.`)
      ? path.slice(pathPrefix.length + 1)
      : path;
    const label = SPEC_FIELD_LABELS[field];
    return label ? `${label} (${path}) ${message}` : `${path}: ${message}`;
  });
  return [...new Set(lines)].join('; ');
}

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
      throw new InputError(describeSpecIssues(error.issues));
    }
    throw error;
  }
}
