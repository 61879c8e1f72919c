import type { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import { ciraCertificateOf } from './ciraCertificate';

const row = (details: Record<string, unknown>): ComponentHealth => ({
  component: 'cira',
  provider: 'open-amt',
  supportLevel: 'native',
  status: 'healthy',
  checkedAt: '2026-01-01T00:00:00Z',
  message: 'CIRA endpoint x:4433 presents a certificate.',
  details,
});
const validTo = '2027-01-01T00:00:00.000Z';

describe('ciraCertificateOf', () => {
  it("takes the expiry of MPS's own certificate, exact or wildcard", () => {
    expect(
      ciraCertificateOf(
        row({ validTo, subjectAltNames: ['mps.example.com'] }),
        'mps.example.com',
      ),
    ).toEqual({ commonName: 'mps.example.com', validTo });
    expect(
      ciraCertificateOf(
        row({ validTo, subjectAltNames: ['*.example.com'] }),
        'mps.example.com',
      ),
    ).toEqual({ commonName: 'mps.example.com', validTo });
  });

  it("counts a gateway's certificate, a too-deep wildcard or a missing row as unread", () => {
    expect(
      ciraCertificateOf(
        row({ validTo, subjectAltNames: ['gateway.example.com'] }),
        'mps.example.com',
      ),
    ).toEqual({ unread: expect.stringContaining('gateway.example.com') });
    expect(
      ciraCertificateOf(
        row({ validTo, subjectAltNames: ['*.example.com'] }),
        'a.mps.example.com',
      ),
    ).toHaveProperty('unread');
    expect(ciraCertificateOf(undefined, 'mps.example.com')).toHaveProperty(
      'unread',
    );
    expect(
      ciraCertificateOf(
        row({ failure: 'connection_refused' }),
        'mps.example.com',
      ),
    ).toEqual({ unread: 'CIRA endpoint x:4433 presents a certificate.' });
  });
});
