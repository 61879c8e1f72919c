/**
 * Migration statements per engine as text, and the version rules that need no server. PostgreSQL and MariaDB run
 * these statements for real in postgresMigrate.test.ts and mariadbMigrate.test.ts; the T-SQL ones are not executed
 * (no SQL Server on this machine): only their text is checked here.
 */
import { TOOLKIT_V2_26_0 } from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from '../index';
import { mssqlInitStatements } from '../mssqlStatements';
import {
  MSSQL_RECORD_VERSION_SQL,
  MSSQL_VERSION_TABLE_SQL,
  mssqlMigrationSql,
} from './mssql';
import {
  catalogFromRows,
  checkStart,
  detectFromCatalog,
  migrationPath,
  SCHEMA_VERSION_TABLE,
} from './version';

const FROM = 'v2.26.0';
const TO = 'v2.37.0';

describe('migration statements per engine', () => {
  it.each([
    ['postgresql', /IF NOT EXISTS/],
    ['mariadb', /IF NOT EXISTS/],
    [
      'mssql',
      /^IF (COL_LENGTH\(N'dbo\.\w+', N'\w+'\) IS NULL|OBJECT_ID\(N'dbo\.\w+', N'U'\) IS NULL)\n/,
    ],
  ] as const)(
    '%s: every statement is guarded, mpsdb has none',
    (provider, guard) => {
      const sql = databaseAdapters[provider].migrationSql!(FROM, TO);
      expect(sql.rps).toHaveLength(3);
      for (const statement of sql.rps) expect(statement).toMatch(guard);
      expect(sql.rps[0]).toMatch(/profiles.*uefi_wifi_sync_enabled/s);
      expect(sql.rps[1]).toMatch(/proxyconfigs/);
      expect(sql.rps[2]).toMatch(/profiles_proxyconfigs/);
      expect(sql.mps).toEqual([]);
      expect(databaseAdapters[provider].migrationSql!(TO, TO)).toEqual({
        rps: [],
        mps: [],
      });
    },
  );

  it('T-SQL (not executed): the column is added as BIT NULL, the tables with their keys', () => {
    const { rps } = mssqlMigrationSql(FROM, TO);
    expect(rps[0]).toBe(
      "IF COL_LENGTH(N'dbo.profiles', N'uefi_wifi_sync_enabled') IS NULL\nALTER TABLE [dbo].[profiles] ADD [uefi_wifi_sync_enabled] BIT NULL",
    );
    expect(rps[1]).toContain(
      'CONSTRAINT [address_port_tenant_id] UNIQUE ([address], [port], [tenant_id])',
    );
    expect(rps[2]).toContain(
      'FOREIGN KEY ([profile_name], [tenant_id]) REFERENCES [dbo].[profiles] ([profile_name], [tenant_id])',
    );
  });

  it('T-SQL (not executed): version table guarded, row written once, app users denied writes', () => {
    expect(MSSQL_VERSION_TABLE_SQL).toMatch(
      new RegExp(
        `^IF OBJECT_ID\\(N'dbo\\.${SCHEMA_VERSION_TABLE}', N'U'\\) IS NULL\\nCREATE TABLE \\[dbo\\]\\.\\[${SCHEMA_VERSION_TABLE}\\]`,
      ),
    );
    expect(MSSQL_RECORD_VERSION_SQL).toMatch(
      /^IF NOT EXISTS \(SELECT 1 FROM .* WHERE \[step\] = @step\)\nINSERT INTO/,
    );
    const deny = mssqlInitStatements.denyVersionWrites('x]; DROP TABLE y; --');
    // The name travels as a parameter and is quoted server-side.
    expect(deny.sql).toContain(
      `DENY INSERT, UPDATE, DELETE ON OBJECT::[dbo].[${SCHEMA_VERSION_TABLE}] TO ' + QUOTENAME(@user)`,
    );
    expect(deny.sql).not.toContain('DROP TABLE');
    expect(deny.params).toEqual({ user: 'x]; DROP TABLE y; --' });
  });

  it('refuses a downgrade and an unknown release, naming them', () => {
    expect(() => databaseAdapters.postgresql.migrationSql!(TO, FROM)).toThrow(
      `Refusing to migrate from ${TO} down to ${FROM}: downgrades are not supported`,
    );
    expect(() => migrationPath('v2.26.0', 'latest')).toThrow(
      'The release to migrate to (latest) is not a supported toolkit release; supported: v2.37.0, v2.26.0',
    );
  });
});

describe('version rules', () => {
  const rows = (release: typeof TOOLKIT_V2_26_0, side: 'rps' | 'mps') =>
    release.schema[side].tables.flatMap(t =>
      t.columns.map(c => ({ table_name: t.name, column_name: c.name })),
    );

  it('ignores the version table and the row-version column when detecting', () => {
    const catalog = catalogFromRows([
      ...rows(TOOLKIT_V2_26_0, 'rps'),
      { table_name: SCHEMA_VERSION_TABLE, column_name: 'step' },
      { table_name: 'profiles', column_name: 'row_version' },
    ]);
    expect(detectFromCatalog('rps', catalog)).toEqual({
      release: FROM,
      source: 'detected',
      matching: [FROM],
    });
  });

  it('an extra table or an empty database is unknown, with the difference named', () => {
    const catalog = catalogFromRows([
      ...rows(TOOLKIT_V2_26_0, 'mps'),
      { table_name: 'extra', column_name: 'x' },
    ]);
    expect(detectFromCatalog('mps', catalog).differences).toEqual([
      `compared with ${TO}: table extra is not in ${TO}`,
    ]);
    expect(detectFromCatalog('rps', new Map())).toEqual({
      source: 'unknown',
      differences: ['the database has no tables'],
    });
  });

  it('refuses to start a migration that would skip one, or go down', () => {
    expect(() =>
      checkStart('rpsdb', { release: FROM, source: 'table' }, TO, TO),
    ).toThrow(
      `Database rpsdb holds ${FROM}, older than ${TO}: migrate from ${FROM} first (migrations cannot be skipped)`,
    );
    expect(() =>
      checkStart('rpsdb', { release: TO, source: 'table' }, FROM, FROM),
    ).toThrow(`Database rpsdb already holds ${TO}, newer than ${FROM}`);
    expect(() =>
      checkStart('rpsdb', { release: FROM, source: 'table' }, FROM, TO),
    ).not.toThrow();
  });
});
