import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { secretStoreRendererOf } from '../render/providers';

/** The input field that locates the secrets store, for error messages. */
export function storeFieldOf(spec: DeploymentSpec): string {
  return secretStoreRendererOf(spec).inputField(spec);
}
