/**
 * Strong generated values. MPS/RPS convert all-digit or true/false env values to numbers/booleans, so
 * every value contains letters; the web admin password follows the toolkit rule (8–32 characters with
 * upper, lower, digit and special: mps v2.34.1 README.md:49-52, "This password must meet standard, strong password
 * requirements"). MPS itself refuses only an empty one (src/index.ts:112), so the rule is ours to keep.
 */
import { randomBytes, randomInt } from 'crypto';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
/** Specials that need no quoting in env files, URLs (encoded anyway) or shells inside double quotes. */
const SPECIAL = '!#%+,-.:=?@^_~';
const ALPHANUMERIC = LOWER + UPPER + DIGITS;

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}

function shuffle(chars: string[]): string[] {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars;
}

/** 64 characters from a 57-letter alphabet ≈ 373 bits, always with letters (never all digits). */
export function generateJwtSecret(): string {
  const chars = Array.from({ length: 62 }, () => pick(ALPHANUMERIC));
  chars.push(pick(LOWER), pick(UPPER));
  return shuffle(chars).join('');
}

export function generateWebAdminPassword(length = 24): string {
  if (length < 8 || length > 32)
    throw new RangeError('MPS web admin passwords have 8 to 32 characters');
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SPECIAL)];
  while (chars.length < length) chars.push(pick(ALPHANUMERIC + SPECIAL));
  return shuffle(chars).join('');
}

/** Database app-user password: 40 alphanumerics (no quoting issues in any engine or URL). */
export function generateDatabasePassword(): string {
  const chars = Array.from({ length: 38 }, () => pick(ALPHANUMERIC));
  chars.push(pick(LOWER), pick(UPPER));
  return shuffle(chars).join('');
}

/** MPS's rule for the web admin password, as a person reads it. */
export const WEB_ADMIN_PASSWORD_RULE =
  '8 to 32 characters with an upper-case letter, a lower-case letter, a digit and a special character';

export function meetsWebAdminPasswordRule(p: string): boolean {
  return (
    p.length >= 8 &&
    p.length <= 32 &&
    /[a-z]/.test(p) &&
    /[A-Z]/.test(p) &&
    /\d/.test(p) &&
    /[^A-Za-z0-9]/.test(p)
  );
}

/** Entropy source check for tests: bits of a generated JWT secret. */
export const JWT_SECRET_BITS = Math.floor(64 * Math.log2(ALPHANUMERIC.length));

export const randomSuffix = () => randomBytes(4).toString('hex');
