import type { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { CertificatesTarget } from '@open-amt-backstage/plugin-open-amt-node';

/** A certificate name covers `host` exactly, or as a one-label wildcard (RFC 6125 §6.4.3). */
function covers(name: string, host: string): boolean {
  const n = name.toLowerCase();
  const h = host.toLowerCase();
  if (n === h) return true;
  if (!n.startsWith('*.')) return false;
  const rest = n.slice(1);
  return h.endsWith(rest) && !h.slice(0, h.length - rest.length).includes('.');
}

/**
 * MPS's CIRA certificate as the CIRA row of the same sweep read it (details.validTo), for the certificates row.
 * A certificate that does not cover MPS's common name is someone else's (a gateway terminating TLS): its expiry
 * says nothing about MPS's, so it counts as unread.
 */
export function ciraCertificateOf(
  cira: ComponentHealth | undefined,
  commonName: string | undefined,
): CertificatesTarget['cira'] {
  const details = cira?.details ?? {};
  const validTo = details.validTo;
  if (typeof validTo !== 'string' || !commonName)
    return { unread: cira?.message ?? 'the CIRA endpoint was not probed.' };
  const names = Array.isArray(details.subjectAltNames)
    ? (details.subjectAltNames as unknown[]).map(String)
    : [];
  if (!names.length && typeof details.subjectCN === 'string')
    names.push(details.subjectCN);
  if (!names.some(n => covers(n, commonName)))
    return {
      unread: `the certificate on the CIRA endpoint is not MPS's for ${commonName} (${
        names.join(', ') || 'no name'
      }).`,
    };
  return { commonName, validTo };
}
