import {
  createHash,
  createHmac,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'crypto';

/**
 * App-user passwords are sent to the servers already hashed (PostgreSQL SCRAM verifier, MariaDB
 * mysql_native_password hash), so the plain value never appears in a server's statement log, and a re-run
 * can compare against the stored hash to leave an unchanged password alone.
 */

const SCRAM_ITERATIONS = 4096;

function scramKeys(password: string, salt: Buffer, iterations: number) {
  // SASLprep is the identity for ASCII (what the secrets action generates); NFKC covers the common rest.
  const salted = pbkdf2Sync(
    password.normalize('NFKC'),
    salt,
    iterations,
    32,
    'sha256',
  );
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return { storedKey, serverKey };
}

/** `SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`, the format pg_authid stores and CREATE ROLE accepts. */
export function scramSha256Verifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** True when `verifier` (from pg_authid.rolpassword) was made from `password`. */
export function scramVerifierMatches(
  verifier: string | null | undefined,
  password: string,
): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier ?? '');
  if (!m) return false;
  const { storedKey, serverKey } = scramKeys(
    password,
    Buffer.from(m[2], 'base64'),
    Number(m[1]),
  );
  const expected = Buffer.concat([storedKey, serverKey]);
  const actual = Buffer.concat([
    Buffer.from(m[3], 'base64'),
    Buffer.from(m[4], 'base64'),
  ]);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** MariaDB's mysql_native_password hash: `*` + upper hex of SHA1(SHA1(password)). */
export function mysqlNativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}
