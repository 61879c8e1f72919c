/** Upstream images of toolkit v2.26.0, pinned (never `latest`). */
export const DEFAULT_IMAGES = {
  mps: 'intel/oact-mps:v2.13.21',
  rps: 'intel/oact-rps:v2.22.14',
  mpsrouter: 'intel/oact-mpsrouter:v2.3.12',
  webui: 'intel/oact-webui:v3.27.4',
} as const;

export type ServiceName = keyof typeof DEFAULT_IMAGES;

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
