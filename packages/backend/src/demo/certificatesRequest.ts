/** Far enough either way for any expiry a demo needs (an expired certificate, or one valid for years). */
export const MAX_DEMO_CERT_DAYS = 3650;

/**
 * The body of POST /control/certificates: `{ "daysLeft": n }`, when the demo ACM domain's provisioning certificate
 * expires, counted from now (negative: it expired n days ago). Checked before anything changes; the error names
 * the field.
 */
export function parseCertificatesRequest(
  text: string,
): { daysLeft: number } | { error: string } {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return { error: 'body: not JSON; send {"daysLeft": n}' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { error: 'body: send {"daysLeft": n}' };
  const { daysLeft } = body as Record<string, unknown>;
  if (
    typeof daysLeft !== 'number' ||
    !Number.isInteger(daysLeft) ||
    Math.abs(daysLeft) > MAX_DEMO_CERT_DAYS
  )
    return {
      error: `daysLeft: a whole number from -${MAX_DEMO_CERT_DAYS} to ${MAX_DEMO_CERT_DAYS}`,
    };
  return { daysLeft };
}
