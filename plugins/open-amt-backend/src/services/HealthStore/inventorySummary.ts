import {
  CERTIFICATE_RENEW_DAYS,
  ComponentHealth,
  DeploymentCertificatesSummary,
  DeploymentDevicesSummary,
  deviceCountsOf,
  dropAlertOf,
} from '@open-amt-backstage/plugin-open-amt-common';

// A fleet row's devices and certificates, read from the stored details of the devices and certificates rows. The
// details are JSON as stored (possibly by an older or newer backend), so every field is checked before use.

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function detailsOf(
  components: ComponentHealth[],
  component: ComponentHealth['component'],
): Record<string, unknown> | undefined {
  return components.find(c => c.component === component)?.details;
}

/** Connected/total as MPS counted them, and whether a device-drop alert is active; undefined without counts. */
export function devicesSummary(
  components: ComponentHealth[],
): DeploymentDevicesSummary | undefined {
  const details = detailsOf(components, 'devices');
  const counts = deviceCountsOf(details);
  if (!counts) return undefined;
  // The alert puts dropAlert on the row while it is active and takes it off when the devices recover.
  return { ...counts, dropped: dropAlertOf(details) !== undefined };
}

/** The soonest expiry among the certificates read; undefined when none was. */
export function certificatesSummary(
  components: ComponentHealth[],
): DeploymentCertificatesSummary | undefined {
  const list = detailsOf(components, 'certificates')?.certificates;
  if (!Array.isArray(list)) return undefined;
  let soonest: number | undefined;
  for (const cert of list) {
    const daysLeft = isRecord(cert) ? cert.daysLeft : undefined;
    if (typeof daysLeft !== 'number' || !Number.isFinite(daysLeft)) continue;
    if (soonest === undefined || daysLeft < soonest) soonest = daysLeft;
  }
  if (soonest === undefined) return undefined;
  return {
    soonestDaysLeft: soonest,
    expiring: soonest <= CERTIFICATE_RENEW_DAYS,
  };
}
