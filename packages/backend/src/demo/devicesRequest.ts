import type { DemoDevices } from './standInStack';

/** Enough devices to fill a fleet page; more only slows the stand-in MPS down. */
export const MAX_DEMO_DEVICES = 10_000;

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * The body of POST /control/devices: `{ connected, total? }` (total defaults to the current one). Checked before
 * anything changes; the error names the field.
 */
export function parseDevicesRequest(
  text: string,
  current: DemoDevices,
): DemoDevices | { error: string } {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return { error: 'body: not JSON; send {"connected": n, "total": m}' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { error: 'body: send {"connected": n, "total": m}' };
  const { connected, total = current.total } = body as Record<string, unknown>;
  if (!isCount(total) || total > MAX_DEMO_DEVICES)
    return {
      error: `total: a whole number from 0 to ${MAX_DEMO_DEVICES}`,
    };
  if (!isCount(connected) || connected > total)
    return { error: `connected: a whole number from 0 to total (${total})` };
  return { total, connected };
}
