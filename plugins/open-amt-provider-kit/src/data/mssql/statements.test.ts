/**
 * The statements the RPS and MPS tables send through the MSSQL dialect, captured by a recording pool (the pool is a
 * stand-in: what is under test is the SQL text and the bound values). Not executed on a SQL Server here.
 */
import { render, type Sql } from '../sql';
import type { SqlDatabase } from '../dialect';
import { mssqlDialect } from './dialect';
import { createRpsDb } from '../rps/rpsDb';
import { createMpsDb } from '../mps/mpsDb';
import { testMpsHost, testRpsHost } from '../../__testUtils__/testHost';

function recordingPool(
  answer: (text: string) => {
    rows: Record<string, unknown>[];
    rowCount: number;
  },
) {
  const sent: { text: string; values: unknown[] }[] = [];
  const db: SqlDatabase = {
    dialect: mssqlDialect,
    async run(statement: Sql) {
      const r = render(statement, mssqlDialect.placeholder);
      sent.push(r);
      return answer(r.text);
    },
    query: async () => ({ rows: [], rowCount: 0 }),
    close: async () => {},
  };
  return { db, sent };
}

const columns = (names: string[]) => ({
  rows: names.map(name => ({ name })),
  rowCount: names.length,
});

describe('RPS statements in T-SQL', () => {
  it('pages a list with ORDER BY key + OFFSET/FETCH, offset then limit bound', async () => {
    const { db, sent } = recordingPool(() => ({ rows: [], rowCount: 0 }));
    await createRpsDb(db, testRpsHost()).ciraConfigs.get(10, 20, 't');
    expect(sent[0].text).toMatch(
      / FROM ciraconfigs WHERE tenant_id = @p0 ORDER BY cira_config_name OFFSET @p1 ROWS FETCH NEXT @p2 ROWS ONLY$/,
    );
    expect(sent[0].text).toContain(
      'CAST(row_version AS BIGINT) AS row_version',
    );
    expect(sent[0].values).toEqual(['t', 20, 10]);
  });

  it('updates with the version in the WHERE and no SET for rowversion; 0 rows → Concurrency', async () => {
    const { db, sent } = recordingPool(() => ({ rows: [], rowCount: 0 })); // no row matches the version
    const error = await createRpsDb(db, testRpsHost())
      .ciraConfigs.update({
        configName: 'c',
        mpsPort: 1,
        tenantId: '',
        version: '7',
      })
      .catch(e => e);
    expect(error.name).toBe('Concurrency');
    const update = sent.find(s => s.text.startsWith('UPDATE'))!;
    expect(update.text).toMatch(
      /WHERE cira_config_name = @p\d+ AND tenant_id = @p\d+ AND CAST\(row_version AS BIGINT\) = @p\d+$/,
    );
    expect(update.text).not.toMatch(/row_version =/);
    expect(update.values.slice(-3)).toEqual(['c', '', '7']);
  });

  it('inserts profile links in one multi-row INSERT', async () => {
    const { db, sent } = recordingPool(() => ({ rows: [], rowCount: 2 }));
    await createRpsDb(
      db,
      testRpsHost(),
    ).profileWirelessConfigs.createProfileWifiConfigs(
      [
        { profileName: 'w1', priority: 1 },
        { profileName: 'w2', priority: 2 },
      ],
      'p',
      't',
    );
    expect(sent[0]).toEqual({
      text: 'INSERT INTO profiles_wirelessconfigs (wireless_profile_name, profile_name, priority, tenant_id) VALUES (@p0, @p1, @p2, @p3), (@p4, @p5, @p6, @p7)',
      values: ['w1', 'p', 1, 't', 'w2', 'p', 2, 't'],
    });
  });

  it('reads the profile columns once (v2.22.14 schema: no uefi column, no proxy links)', async () => {
    const { db, sent } = recordingPool(text =>
      text.includes('sys.columns')
        ? columns(['profile_name', 'tags'])
        : { rows: [], rowCount: 0 },
    );
    const rps = createRpsDb(db, testRpsHost());
    await rps.profiles.getByName('p');
    await rps.profiles.getByName('p');
    expect(sent.filter(s => s.text.includes('sys.columns'))).toHaveLength(1);
    expect(
      sent.find(s => s.text.startsWith('SELECT profile_name'))!.text,
    ).not.toContain('uefi_wifi_sync_enabled');
  });
});

describe('MPS statements in T-SQL', () => {
  it('tags AND / OR and distinct tags use OPENJSON; guids come back lower-case', async () => {
    const { db, sent } = recordingPool(text =>
      text.startsWith('SELECT guid')
        ? {
            rows: [
              {
                guid: '4C4C4544-004B-4210-8033-B6C04F500001',
                tags: '["a"]',
                connectionstatus: true,
              },
            ],
            rowCount: 1,
          }
        : { rows: [], rowCount: 0 },
    );
    const mps = createMpsDb(db, testMpsHost());
    const [d] = await mps.devices.getByTags(['a'], 'AND', 25, 0);
    expect(d).toMatchObject({
      guid: '4c4c4544-004b-4210-8033-b6c04f500001',
      tags: ['a'],
      connectionStatus: true,
    });
    await mps.devices.getByTags(['a'], 'OR', 25, 0);
    await mps.devices.getDistinctTags();
    expect(sent[0].text).toContain('NOT EXISTS (SELECT 1 FROM OPENJSON(@p0)');
    expect(sent[0].text).toMatch(
      /ORDER BY guid OFFSET @p\d ROWS FETCH NEXT @p\d ROWS ONLY$/,
    );
    expect(sent[1].text).toContain(
      'EXISTS (SELECT 1 FROM OPENJSON(tags) AS t JOIN OPENJSON(@p0)',
    );
    expect(sent[2].text).toContain('CROSS APPLY OPENJSON(devices.tags)');
  });
});
