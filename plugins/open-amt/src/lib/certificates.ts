import {
  CERTIFICATE_RENEW_DAYS,
  ComponentHealth,
} from '@open-amt-backstage/plugin-open-amt-common';

export interface CertificateRow {
  kind: 'provisioning' | 'cira';
  name: string;
  domainSuffix?: string;
  expiresAt: string;
  daysLeft: number;
}

/** ok: valid beyond the renewal window; warning: renew now (days left ≤ renewDays); error: expired. */
export type CertificateUrgency = 'ok' | 'warning' | 'error';

function isCertificate(v: unknown): v is CertificateRow {
  const c = v as Partial<CertificateRow> | undefined;
  return (
    !!c &&
    typeof c === 'object' &&
    (c.kind === 'provisioning' || c.kind === 'cira') &&
    typeof c.name === 'string' &&
    typeof c.expiresAt === 'string' &&
    !Number.isNaN(Date.parse(c.expiresAt)) &&
    typeof c.daysLeft === 'number' &&
    Number.isFinite(c.daysLeft)
  );
}

export function renewDaysOf(row: ComponentHealth | undefined): number {
  const days = row?.details?.renewDays;
  return typeof days === 'number' && Number.isFinite(days)
    ? days
    : CERTIFICATE_RENEW_DAYS; // health stored before details.renewDays existed
}

/**
 * Expired when it ran out by the time it was read (the row's checkedAt, the moment daysLeft was counted at), so
 * the row, its message and this table agree however old the health is.
 */
export function certificateUrgency(
  cert: CertificateRow,
  renewDays: number,
  readAt: string,
): CertificateUrgency {
  const read = Date.parse(readAt);
  const expired = Number.isNaN(read)
    ? cert.daysLeft < 0
    : Date.parse(cert.expiresAt) <= read;
  if (expired) return 'error';
  return cert.daysLeft <= renewDays ? 'warning' : 'ok';
}

/** The row's certificates, the first to expire (the most urgent) first; malformed entries are left out. */
export function certificatesOf(
  row: ComponentHealth | undefined,
): CertificateRow[] {
  const list = row?.details?.certificates;
  if (!Array.isArray(list)) return [];
  return list
    .filter(isCertificate)
    .sort(
      (a, b) =>
        Date.parse(a.expiresAt) - Date.parse(b.expiresAt) ||
        a.name.localeCompare(b.name),
    );
}
