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

  it('web admin passwords meet the 8–32 upper/lower/digit/special rule at every length', () => {
    for (let len = 8; len <= 32; len++)
      for (let i = 0; i < 50; i++)
        expect(meetsWebAdminPasswordRule(generateWebAdminPassword(len))).toBe(
          true,
        );
    expect(() => generateWebAdminPassword(7)).toThrow();
    expect(() => generateWebAdminPassword(33)).toThrow();
    expect(meetsWebAdminPasswordRule('alllowercase1!')).toBe(false);
  });

  it('database passwords are URL-safe alphanumerics with letters', () => {
    const p = generateDatabasePassword();
    expect(p).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(encodeURIComponent(p)).toBe(p);
  });
});
