import type { ToolkitServiceId } from '../releases/types';

/** The toolkit's services; their pinned images are release data (releases/), never written here. */
export type ServiceName = ToolkitServiceId;

/** The issuer MPS uses when MPS_JWT_ISSUER is not set; gateways must use the same key. */
export const DEFAULT_MPS_JWT_ISSUER = '9EmRJTbIiIb4bIeSsmgcWIjrR6HyETqc';

/** An image reference is pinned when it carries a digest or an explicit tag other than `latest`. */
export function isPinnedImage(ref: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(ref)) return true;
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[\w][\w.-]{0,127}$/.test(tag) && tag !== 'latest';
}
