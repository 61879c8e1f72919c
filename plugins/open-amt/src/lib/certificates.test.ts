import { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import {
  CertificateRow,
  certificatesOf,
  certificateUrgency,
  renewDaysOf,
} from './certificates';

const READ_AT = '2026-11-25T12:00:00.000Z';
const DAY = 86_400_000;

/** A certificate as the backend reports it, read at READ_AT. */
const cert = (name: string, days: number): CertificateRow => ({
  kind: 'provisioning',
  name,
  // Half a day past the whole days, as real expiries are: daysLeft counts whole days, rounded down.
  expiresAt: new Date(Date.parse(READ_AT) + days * DAY + DAY / 2).toISOString(),
  daysLeft: days,
});

const row = (details: Record<string, unknown>): ComponentHealth => ({
  component: 'certificates',
  provider: 'open-amt',
  supportLevel: 'native',
  status: 'degraded',
  checkedAt: READ_AT,
  message: 'certificates',
  details,
});

describe('certificates', () => {
  it('is ok beyond the renewal window, a warning at it, an error once expired', () => {
    expect(certificateUrgency(cert('a', 31), 30, READ_AT)).toBe('ok');
    expect(certificateUrgency(cert('a', 30), 30, READ_AT)).toBe('warning');
    expect(certificateUrgency(cert('a', 0), 30, READ_AT)).toBe('warning');
    const expired = { ...cert('a', -1), expiresAt: READ_AT };
    expect(certificateUrgency(expired, 30, READ_AT)).toBe('error');
    // The renewal window comes from the row, not a constant here.
    expect(certificateUrgency(cert('a', 31), 45, READ_AT)).toBe('warning');
  });

  it('falls back to days left when the read time is unknown', () => {
    expect(certificateUrgency(cert('a', -2), 30, '')).toBe('error');
    expect(certificateUrgency(cert('a', 2), 30, '')).toBe('warning');
  });

  it('orders the first to expire first and drops malformed entries', () => {
    const list = certificatesOf(
      row({
        certificates: [
          cert('later', 200),
          { ...cert('cira.example.com', 10), kind: 'cira' },
          cert('expired', -3),
          { name: 'broken', kind: 'provisioning', daysLeft: 3 },
        ],
      }),
    );
    expect(list.map(c => c.name)).toEqual([
      'expired',
      'cira.example.com',
      'later',
    ]);
    expect(certificatesOf(row({}))).toEqual([]);
  });

  it('takes the renewal window from the row, 30 days when it has none', () => {
    expect(renewDaysOf(row({ renewDays: 45 }))).toBe(45);
    expect(renewDaysOf(row({}))).toBe(30);
  });
});
