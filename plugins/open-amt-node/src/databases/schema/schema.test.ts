/**
 * The generated schema files, executed the way an operator would run them: psql against the local
 * PostgreSQL and the mariadb client against the local MariaDB, each twice. No SQL Server is available on
 * this machine, so the MSSQL files are checked as text (structure, guards, quoting).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { databaseAdapters } from '../index';
import { MPS_TABLES, RPS_TABLES, RPS_TABLE_NAMES } from './model';
import { mssqlSchema } from './mssql';

jest.setTimeout(60_000);

const pid = process.pid;
const names = {
  rpsDatabase: `oamt_schema_rps_${pid}`,
  mpsDatabase: `oamt_schema_mps_${pid}`,
};
const dir = mkdtempSync(join(tmpdir(), 'oamt-schema-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const psql = (args: string[]) =>
  execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-X',
      '-q',
      '-At',
      ...args,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
const mariadbCli = (args: string[], input?: string) =>
  execFileSync(
    'mariadb',
    ['-h', '127.0.0.1', '-u', 'root', '-N', '-B', ...args],
    { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] },
  );

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const db of [names.rpsDatabase, names.mpsDatabase]) {
    psql([
      '-d',
      'postgres',
      '-c',
      `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
    ]);
    mariadbCli(['-e', `DROP DATABASE IF EXISTS \`${db}\``]);
  }
});

/** Column definitions of the toolkit's data/initMPS.sql (mps v2.13) and the ciraconfigs table of rps data/init.sql, verbatim. */
const UPSTREAM_DEVICES = `guid uuid NOT NULL, tags text[], hostname varchar(256), mpsinstance text, connectionstatus boolean,
  mpsusername text, tenantid varchar(36) NOT NULL, friendlyname varchar(256), dnssuffix varchar(256),
  lastconnected timestamp with time zone, lastseen timestamp with time zone, lastdisconnected timestamp with time zone,
  deviceinfo JSON`;
const UPSTREAM_CIRACONFIGS = `cira_config_name citext NOT NULL, mps_server_address varchar(256), mps_port integer,
  user_name varchar(40), password varchar(63), common_name varchar(256), server_address_format integer,
  auth_method integer, mps_root_certificate text, proxydetails text, tenant_id varchar(36) NOT NULL`;

const normalise = (defs: string) =>
  defs
    .split(',')
    .map(d => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

function columnsOf(script: string, table: string): string[] {
  const m = new RegExp(
    `CREATE TABLE IF NOT EXISTS ${table}\\(\\n([\\s\\S]*?)\\n\\)`,
  ).exec(script);
  if (!m) throw new Error(`table ${table} not in script`);
  return m[1]
    .split(',\n')
    .map(l => l.trim())
    .filter(l => !/^(FOREIGN KEY|CONSTRAINT|PRIMARY KEY)/.test(l));
}

describe('PostgreSQL schema files', () => {
  const scripts = databaseAdapters.postgresql.schemaSql(names);

  it('reproduce the toolkit column definitions', () => {
    expect(columnsOf(scripts.mps, 'devices')).toEqual(
      normalise(UPSTREAM_DEVICES),
    );
    expect(columnsOf(scripts.rps, 'ciraconfigs')).toEqual(
      normalise(UPSTREAM_CIRACONFIGS),
    );
    expect(scripts.rps).toContain('CREATE EXTENSION IF NOT EXISTS citext;');
    expect(scripts.rps).toContain(
      'CONSTRAINT domainname UNIQUE (name, tenant_id)',
    );
    expect(scripts.rps).toContain(
      'PRIMARY KEY (name, domain_suffix, tenant_id)',
    );
  });

  it('run twice with psql (setup, rps, mps) and leave the same tables', () => {
    const setup = file('pg-setup.sql', scripts.setup!);
    const rps = file('pg-rps.sql', scripts.rps);
    const mps = file('pg-mps.sql', scripts.mps);
    for (let run = 0; run < 2; run++) {
      psql(['-d', 'postgres', '-f', setup]);
      psql(['-d', names.rpsDatabase, '-f', rps]);
      psql(['-d', names.mpsDatabase, '-f', mps]);
    }
    const tables = (db: string) =>
      psql([
        '-d',
        db,
        '-c',
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      ])
        .trim()
        .split('\n')
        .sort();
    expect(tables(names.rpsDatabase)).toEqual([...RPS_TABLE_NAMES].sort());
    expect(tables(names.mpsDatabase)).toEqual(['devices']);
    const columnCount = psql([
      '-d',
      names.rpsDatabase,
      '-c',
      "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'",
    ]).trim();
    expect(Number(columnCount)).toBe(
      RPS_TABLES.reduce((n, t) => n + t.columns.length, 0),
    );
  });
});

describe('MariaDB schema files', () => {
  const scripts = databaseAdapters.mariadb.schemaSql(names);

  it('translate citext, arrays and uuid', () => {
    expect(scripts.rps).not.toMatch(
      /citext|text\[\]|int\[\]|timestamp with time zone/i,
    );
    expect(scripts.rps).toContain(
      '`cira_config_name` VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL',
    );
    expect(scripts.mps).toContain(
      '`guid` CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL',
    );
    expect(scripts.mps).toContain('`tags` JSON NULL');
  });

  it('run twice with the mariadb client and leave the same tables and columns', () => {
    for (let run = 0; run < 2; run++) {
      mariadbCli([], scripts.setup);
      mariadbCli([names.rpsDatabase], scripts.rps);
      mariadbCli([names.mpsDatabase], scripts.mps);
    }
    const tables = (db: string) =>
      mariadbCli([
        '-e',
        `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db}'`,
      ])
        .trim()
        .split('\n')
        .sort();
    expect(tables(names.rpsDatabase)).toEqual([...RPS_TABLE_NAMES].sort());
    expect(tables(names.mpsDatabase)).toEqual(['devices']);
    const columns = mariadbCli([
      '-e',
      `SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${names.rpsDatabase}'`,
    ]).trim();
    expect(Number(columns)).toBe(
      RPS_TABLES.reduce((n, t) => n + t.columns.length, 0),
    );
    const fks = mariadbCli([
      '-e',
      `SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '${names.rpsDatabase}'`,
    ]).trim();
    expect(Number(fks)).toBe(
      RPS_TABLES.reduce((n, t) => n + (t.foreignKeys?.length ?? 0), 0),
    );
  });
});

describe('MSSQL schema files (text only: no SQL Server here)', () => {
  const scripts = databaseAdapters.mssql.schemaSql(names);
  const statements = mssqlSchema();

  it('guard every CREATE TABLE with IF OBJECT_ID … IS NULL, one GO batch each', () => {
    for (const [side, tables] of [
      ['rps', RPS_TABLES],
      ['mps', MPS_TABLES],
    ] as const) {
      expect(statements[side]).toHaveLength(tables.length);
      statements[side].forEach((statement, i) => {
        const name = tables[i].name;
        expect(
          statement.startsWith(
            `IF OBJECT_ID(N'dbo.${name}', N'U') IS NULL\nCREATE TABLE [dbo].[${name}] (`,
          ),
        ).toBe(true);
      });
      const text = scripts[side];
      expect(text.match(/^GO$/gm)).toHaveLength(tables.length);
      expect(text.match(/CREATE TABLE/g)).toHaveLength(tables.length);
    }
    expect(scripts.setup).toContain(
      `IF DB_ID(N'${names.rpsDatabase}') IS NULL\nCREATE DATABASE [${names.rpsDatabase}];\nGO`,
    );
  });

  it('declare every model column, bracket-quoted, with PostgreSQL types translated', () => {
    for (const table of [...RPS_TABLES, ...MPS_TABLES]) {
      const statement = [...statements.rps, ...statements.mps].find(s =>
        s.includes(`CREATE TABLE [dbo].[${table.name}]`),
      )!;
      for (const column of table.columns)
        expect(statement).toMatch(
          new RegExp(`^    \\[${column.name}\\] [A-Z]`, 'm'),
        );
      for (const key of table.primaryKey)
        expect(statement).toMatch(
          new RegExp(`^    \\[${key}\\] .* NOT NULL,?$`, 'm'),
        );
      expect(statement).toContain(
        `CONSTRAINT [PK_${
          table.name
        }] PRIMARY KEY NONCLUSTERED (${table.primaryKey
          .map(k => `[${k}]`)
          .join(', ')})`,
      );
    }
    const all = scripts.rps + scripts.mps;
    expect(all).not.toMatch(
      /citext|text\[\]|int\[\]|\bjson\b(?!_)|timestamp with time zone|\buuid\b/,
    );
    expect(scripts.mps).toContain('[guid] UNIQUEIDENTIFIER NOT NULL');
    expect(scripts.mps).toContain('[lastseen] DATETIMEOFFSET NULL');
    expect(scripts.mps).toContain(
      'CONSTRAINT [CK_devices_tags_json] CHECK (ISJSON([tags]) = 1)',
    );
    expect(scripts.rps).toContain(
      '[cira_config_name] NVARCHAR(256) COLLATE Latin1_General_100_CI_AS_SC NOT NULL',
    );
    expect(scripts.rps).toContain(
      '[tenant_id] NVARCHAR(36) COLLATE Latin1_General_100_CS_AS_SC NOT NULL',
    );
  });

  it('create referenced tables before the tables that reference them', () => {
    const order = RPS_TABLES.map(t => t.name);
    for (const table of RPS_TABLES) {
      for (const fk of table.foreignKeys ?? [])
        expect(order.indexOf(fk.references.table)).toBeLessThan(
          order.indexOf(table.name),
        );
    }
  });

  it('reject database names that would need quoting tricks', () => {
    expect(() =>
      databaseAdapters['azure-sql'].schemaSql({
        rpsDatabase: 'rps]; DROP DATABASE x; --',
        mpsDatabase: 'mpsdb',
      }),
    ).toThrow(/rpsDatabase/);
  });
});
