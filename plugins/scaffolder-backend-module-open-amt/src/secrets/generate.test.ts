import { randomBytes } from 'crypto';
import {
  generateDatabasePassword,
  generateJwtSecret,
  generateWebAdminPassword,
  JWT_SECRET_BITS,
  meetsWebAdminPasswordRule,
} from './generate';

describe('generated values', () => {
  it('JWT secrets carry ≥ 256 bits, always letters, never repeat', () => {
    expect(JWT_SECRET_BITS).toBeGreaterThanOrEqual(256);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const s = generateJwtSecret();
      expect(s).toHaveLength(64);
      expect(s).toMatch(/[a-z]/);
      expect(s).toMatch(/[A-Z]/);
      expect(Number.isNaN(Number(s))).toBe(true);
      seen.add(s);
    }
    expect(seen.size).toBe(500);
  });

  /** Fails unless every password the generator gives, at every length MPS allows, meets MPS's rule. */
  function expectGeneratorMeetsRule(generate: (length: number) => string) {
    for (let len = 8; len <= 32; len++)
      for (let i = 0; i < 50; i++) {
        const p = generate(len);
        if (!meetsWebAdminPasswordRule(p))
          throw new Error(
            `a ${len}-character web admin password ${JSON.stringify(
              p,
            )} breaks the 8–32 upper/lower/digit/special rule`,
          );
      }
  }

  it('web admin passwords meet the 8–32 upper/lower/digit/special rule at every length', () => {
    expectGeneratorMeetsRule(generateWebAdminPassword);
    expect(() => generateWebAdminPassword(7)).toThrow();
    expect(() => generateWebAdminPassword(33)).toThrow();
  });

  it.each<[string, (length: number) => string]>([
    ['a constant "1"', () => '1'],
    [
      'hex (no upper case, no special)',
      n => randomBytes(n).toString('hex').slice(0, n),
    ],
    ['alphanumerics only (no special)', n => 'Aa1'.repeat(11).slice(0, n)],
    ['too long', () => 'Aa1!'.repeat(9)],
  ])('the check refuses a generator that breaks the rule: %s', (_, weak) => {
    expect(() => expectGeneratorMeetsRule(weak)).toThrow(
      /breaks the 8–32 upper\/lower\/digit\/special rule/,
    );
  });

  it.each([
    ['Aa1!aaaa', true],
    [`Aa1!${'a'.repeat(28)}`, true],
    [`Aa1!${'a'.repeat(29)}`, false],
    ['Aa1!aaa', false],
    ['Passw0rd', false],
    ['PASSW0RD!', false],
    ['passw0rd!', false],
    ['Password!', false],
    ['1', false],
    ['alllowercase1!', false],
  ])('the rule: %j → %s', (password, ok) => {
    expect(meetsWebAdminPasswordRule(password)).toBe(ok);
  });

  it('database passwords are URL-safe alphanumerics with letters', () => {
    const p = generateDatabasePassword();
    expect(p).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(encodeURIComponent(p)).toBe(p);
  });
});
