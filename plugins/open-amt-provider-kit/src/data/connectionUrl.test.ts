/**
 * The strings the portal writes (scaffolder-backend-module-open-amt src/secrets/connectionString.ts: user and
 * password through encodeURIComponent, TLS flags from spec.database.tlsMode), for both engines.
 */
import { mariadbPoolConfig } from './mariadb/connection';
import { mssqlPoolConfig } from './mssql/connection';

const user = 'oact_rps';
const password = 'p@ss:w/rd?#%&= é';
const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;

/** The portal's formats, per TLS mode (connectionString.ts, case 'mariadb' / 'mssql'). */
const mariadbUrl = (tls: 'disable' | 'require' | 'verify-full') =>
  `mariadb://${auth}@db.example.com:3307/rpsdb?ssl=${
    tls !== 'disable'
  }&sslVerify=${tls === 'verify-full'}`;
const mssqlUrl = (tls: 'disable' | 'require' | 'verify-full') =>
  `mssql://${auth}@sql.example.net:1433/rpsdb?encrypt=${
    tls !== 'disable'
  }&trustServerCertificate=${tls === 'require'}`;

/** The text of what fn throws, undefined when it returns. */
function thrown(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return String(error);
  }
  return undefined;
}

describe('MariaDB connection strings', () => {
  it('decodes credentials, host, port and database', () => {
    expect(mariadbPoolConfig(mariadbUrl('disable'))).toMatchObject({
      host: 'db.example.com',
      port: 3307,
      user,
      password,
      database: 'rpsdb',
      ssl: undefined,
    });
  });

  it('maps the TLS modes: require = encrypted unchecked, verify-full = checked (with a CA when given)', () => {
    expect(mariadbPoolConfig(mariadbUrl('require')).ssl).toEqual({
      rejectUnauthorized: false,
    });
    expect(mariadbPoolConfig(mariadbUrl('verify-full')).ssl).toEqual({
      rejectUnauthorized: true,
    });
    expect(
      mariadbPoolConfig(mariadbUrl('verify-full'), { ca: 'PEM' }).ssl,
    ).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
  });

  it('refuses other schemes, missing parts and unknown or non-boolean flags without echoing the secret', () => {
    for (const bad of [
      mssqlUrl('disable'),
      `mariadb://${auth}@db.example.com/rpsdb?ssl=false&sslVerify=false`,
      `mariadb://${auth}@db.example.com:3306/?ssl=false`,
      `mariadb://${auth}@db.example.com:3306/rpsdb?ssl=yes`,
      `mariadb://${auth}@db.example.com:3306/rpsdb?sslmode=require`,
      'not a url',
    ]) {
      const message = thrown(() => mariadbPoolConfig(bad));
      expect(message).toBeDefined();
      expect(message).not.toContain(encodeURIComponent(password));
      expect(message).not.toContain(password);
    }
  });
});

describe('SQL Server / Azure SQL connection strings', () => {
  it('decodes the parts and maps the TLS modes onto encrypt / trustServerCertificate', () => {
    expect(mssqlPoolConfig(mssqlUrl('verify-full'))).toMatchObject({
      server: 'sql.example.net',
      port: 1433,
      user,
      password,
      database: 'rpsdb',
      options: { encrypt: true, trustServerCertificate: false },
    });
    expect(mssqlPoolConfig(mssqlUrl('require')).options).toMatchObject({
      encrypt: true,
      trustServerCertificate: true,
    });
    expect(
      mssqlPoolConfig(mssqlUrl('verify-full'), { ca: 'PEM' }).options,
    ).toMatchObject({
      cryptoCredentialsDetails: { ca: 'PEM' },
    });
    expect(mssqlPoolConfig(mssqlUrl('disable')).options).toMatchObject({
      encrypt: false,
      trustServerCertificate: false,
    });
  });

  it('refuses a MariaDB string', () => {
    expect(() => mssqlPoolConfig(mariadbUrl('disable'))).toThrow(/mssql:\/\//);
  });
});
