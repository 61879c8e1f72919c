import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { SECRET_STORE_RENDERERS } from '../render/secrets';

/** The input field that locates the secrets store, for error messages. */
export function storeFieldOf(spec: DeploymentSpec): string {
  return SECRET_STORE_RENDERERS[spec.secrets.provider].inputField(spec);
}
