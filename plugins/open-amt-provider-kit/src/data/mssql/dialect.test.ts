/**
 * What can run here without a SQL Server: the statements the dialect renders for each shape the tables use, and the
 * error numbers Microsoft documents (2627, 2601 duplicate key; 547 constraint conflict). Not executed on a server.
 */
import { render, sql } from '../sql';
import { mssqlDialect, classifyMssqlError } from './dialect';
import { mariadbDialect } from '../mariadb/dialect';

const text = (s: ReturnType<typeof sql>) => render(s, mssqlDialect.placeholder);

describe('MSSQL dialect statements', () => {
  it('numbers placeholders @p0… in order of appearance', () => {
    expect(text(sql`WHERE a = ${1} AND b = ${'x'}`)).toEqual({
      text: 'WHERE a = @p0 AND b = @p1',
      values: [1, 'x'],
    });
  });

  it('pages with OFFSET … FETCH: offset bound before limit', () => {
    expect(text(sql`ORDER BY guid ${mssqlDialect.page(25, 50)}`)).toEqual({
      text: 'ORDER BY guid OFFSET @p0 ROWS FETCH NEXT @p1 ROWS ONLY',
      values: [50, 25],
    });
  });

  it('tags: contains-all over OPENJSON, NULL tags never match, binary collation', () => {
    const r = text(mssqlDialect.containsAll('tags', ['a', 'B']));
    expect(r.text).toBe(
      '(tags IS NOT NULL AND NOT EXISTS (SELECT 1 FROM OPENJSON(@p0) AS w WHERE NOT EXISTS (SELECT 1 FROM OPENJSON(tags) AS t WHERE t.[value] COLLATE Latin1_General_100_BIN2 = w.[value] COLLATE Latin1_General_100_BIN2)))',
    );
    expect(r.values).toEqual(['["a","B"]']);
    const any = text(mssqlDialect.containsAny('tags', ['a']));
    expect(any.text).toMatch(
      /^EXISTS \(SELECT 1 FROM OPENJSON\(tags\) AS t JOIN OPENJSON\(@p0\) AS w ON t\.\[value\] COLLATE Latin1_General_100_BIN2 = w\.\[value\] COLLATE Latin1_General_100_BIN2\)$/,
    );
  });

  it('distinct tags through CROSS APPLY OPENJSON', () => {
    expect(
      text(
        mssqlDialect.distinctElements('devices', 'tags', sql`tenantid = ${''}`),
      ).text,
    ).toBe(
      'SELECT DISTINCT j.[value] COLLATE Latin1_General_100_BIN2 AS tag FROM devices CROSS APPLY OPENJSON(devices.tags) AS j WHERE tenantid = @p0',
    );
  });

  it('row version: rowversion read as BIGINT, moved on by the engine (no SET item)', () => {
    expect(
      text(sql`${mssqlDialect.versionRead('row_version')} = ${'42'}`).text,
    ).toBe('CAST(row_version AS BIGINT) = @p0');
    expect(mssqlDialect.versionBump('row_version')).toBeNull();
    expect(mariadbDialect.versionBump('row_version')).not.toBeNull(); // MariaDB must move it itself
  });

  it("looks up a table's columns in dbo", () => {
    expect(text(mssqlDialect.columnsOf('profiles'))).toEqual({
      text: 'SELECT name FROM sys.columns WHERE object_id = OBJECT_ID(@p0)',
      values: ['dbo.profiles'],
    });
  });
});

describe('MSSQL error numbers', () => {
  /** tedious RequestError shape: number, message (as mssql passes it on) */
  const err = (number: number, message = '') =>
    Object.assign(new Error(message), { number });

  it('2627 and 2601 are duplicates', () => {
    expect(
      classifyMssqlError(
        err(2627, "Violation of UNIQUE KEY constraint 'domainsuffix'."),
      ),
    ).toEqual({ kind: 'unique' });
    expect(
      classifyMssqlError(
        err(2601, 'Cannot insert duplicate key row in object'),
      ),
    ).toEqual({ kind: 'unique' });
    expect(
      classifyMssqlError({ originalError: { info: { number: 2627 } } }),
    ).toEqual({ kind: 'unique' });
  });

  it('547 on a parent delete names the referencing table; on a child write the referenced one', () => {
    const del = err(
      547,
      'The DELETE statement conflicted with the REFERENCE constraint "FK_profiles_2". The conflict occurred in database "rps", table "dbo.profiles", column \'ieee8021x_profile_name\'.',
    );
    expect(classifyMssqlError(del)).toMatchObject({
      kind: 'foreign-key',
      referencing: 'profiles',
    });
    const ins = err(
      547,
      'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_profiles_1". The conflict occurred in database "rps", table "dbo.ciraconfigs", column \'cira_config_name\'.',
    );
    expect(classifyMssqlError(ins)).toMatchObject({
      kind: 'foreign-key',
      referenced: 'ciraconfigs',
    });
  });

  it('547 for a CHECK constraint, other numbers and non-SQL errors are "other"', () => {
    expect(
      classifyMssqlError(
        err(
          547,
          'The INSERT statement conflicted with the CHECK constraint "CK_devices_tags_json".',
        ),
      ),
    ).toEqual({ kind: 'other' });
    expect(classifyMssqlError(err(208, "Invalid object name 'x'."))).toEqual({
      kind: 'other',
    });
    expect(classifyMssqlError(new Error('socket hang up'))).toEqual({
      kind: 'other',
    });
  });
});
