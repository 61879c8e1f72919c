import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface TestCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate; self-signed, so it is also the CA a client must trust (`ca`). */
  cert: string;
}

/** Validity relative to now, in days (whole days keep the cache useful within a test run). */
export interface TestCertificateValidity {
  /** Days from now the certificate starts being valid: negative is in the past (default 0, now). */
  notBeforeDays?: number;
  /** Days from now it expires: negative is already expired (default 2). */
  notAfterDays?: number;
}

const DAY_MS = 86_400_000;
const cache = new Map<string, TestCertificate>();

/**
 * A self-signed server certificate for the given host names and IP addresses, generated at test time (node:crypto
 * makes the RSA key fast; node-forge signs the certificate, with any validity, also expired or not yet valid).
 * Cached per host list and validity for the life of the process.
 */
export function createTestCertificate(
  hosts: string[] = ['localhost', '127.0.0.1'],
  validity: TestCertificateValidity = {},
  /** Subject (and issuer) attributes in order, e.g. `[{ shortName: 'O', value: 'Intel, Corp' }, …]`; default CN = hosts[0]. */
  subject?: { shortName: string; value: string }[],
): TestCertificate {
  const notBeforeDays = validity.notBeforeDays ?? 0;
  const notAfterDays = validity.notAfterDays ?? 2;
  const cacheKey = `${hosts.join(',')}|${notBeforeDays}|${notAfterDays}|${
    subject ? JSON.stringify(subject) : ''
  }`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const now = Date.now();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: the leading byte keeps the high bit clear.
  cert.serialNumber = `01${randomBytes(9).toString('hex')}`;
  cert.validity.notBefore = new Date(now + notBeforeDays * DAY_MS);
  cert.validity.notAfter = new Date(now + notAfterDays * DAY_MS);
  const name = subject ?? [{ name: 'commonName', value: hosts[0] }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      digitalSignature: true,
      keyEncipherment: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map(host =>
        isIP(host) ? { type: 7, ip: host } : { type: 2, value: host },
      ),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const result = { key: privateKey, cert: forge.pki.certificateToPem(cert) };
  cache.set(cacheKey, result);
  return result;
}
