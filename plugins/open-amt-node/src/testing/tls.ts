import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
// Test utilities only: selfsigned is a devDependency and this folder is never imported by runtime code.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { generate } from 'selfsigned';

export interface TestCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate; self-signed, so it is also the CA a client must trust (`ca`). */
  cert: string;
}

const cache = new Map<string, TestCertificate>();

/**
 * A self-signed server certificate for the given host names and IP addresses, generated at test time (node:crypto
 * makes the RSA key fast; selfsigned signs the certificate). Cached per host list for the life of the process.
 */
export function createTestCertificate(hosts: string[] = ['localhost', '127.0.0.1']): TestCertificate {
  const cacheKey = hosts.join(',');
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const altNames = hosts.map(host => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
  const pems = generate([{ name: 'commonName', value: hosts[0] }], {
    days: 2,
    algorithm: 'sha256',
    keyPair: { privateKey, publicKey },
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  } as Parameters<typeof generate>[1]);
  const result = { key: pems.private, cert: pems.cert };
  cache.set(cacheKey, result);
  return result;
}
