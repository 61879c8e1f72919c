import type { ProbeHttpResponse } from '../net';

/**
 * MPS and RPS check no JWT themselves: the gateway in front of them does (Kong's jwt plugin answers 401). A 401
 * or 403 therefore means the annotated address is the gateway's, and the portal does not hold a token for it.
 */
export function tokenRequiredReason(
  subject: string,
  res: ProbeHttpResponse,
  annotation: string,
): string | undefined {
  if (res.status !== 401 && res.status !== 403) return undefined;
  return `${subject} answered HTTP ${res.status}: it is reached through the gateway, so this is not checkable without a token. Point ${annotation} at the service's internal address to check it.`;
}
