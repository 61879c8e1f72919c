/**
 * The generated schema files of every release, executed the way an operator would run them: psql against the
 * local PostgreSQL and the mariadb client against the local MariaDB, each twice. The catalog the scripts leave
 * (tables, columns, types, nullability, keys, indexes, extensions) is read back and compared with the release
 * data, and with upstream facts written here independently of it. No SQL Server is available on this machine, so
 * the MSSQL files are checked as text (structure, guards, quoting).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  releaseTableNames,
  TOOLKIT_RELEASES,
  TOOLKIT_V2_37_0,
  type ToolkitRelease,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from '../index';
import {
  expectedColumns,
  expectedConstraints,
  expectedIndexes,
  PG_CATALOG_QUERIES,
} from './catalog';
import type { ColumnType, DatabaseSchema } from './model';
import { mssqlSchema } from './mssql';
import { postgresSchema } from './postgres';
import {
  hasRowVersion,
  ROW_VERSION_COLUMN,
  ROW_VERSION_TABLES,
} from './rowVersion';

jest.setTimeout(60_000);

const pid = process.pid;
const namesFor = (release: ToolkitRelease) => {
  const tag = release.id.replace(/\W/g, '_');
  return {
    rpsDatabase: `oamt_schema_rps_${tag}_${pid}`,
    mpsDatabase: `oamt_schema_mps_${tag}_${pid}`,
    toolkitRelease: release.id,
  };
};
const names = namesFor(TOOLKIT_V2_37_0);
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
  for (const db of TOOLKIT_RELEASES.flatMap(r => {
    const n = namesFor(r);
    return [n.rpsDatabase, n.mpsDatabase];
  })) {
    psql([
      '-d',
      'postgres',
      '-c',
      `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
    ]);
    mariadbCli(['-e', `DROP DATABASE IF EXISTS \`${db}\``]);
  }
});

/** Column definitions of the toolkit's data/initMPS.sql and the ciraconfigs table of data/init.sql (v2.26.0 and v2.37.0 alike). */
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

/**
 * What v2.37.0's data/init.sql adds, as PostgreSQL's catalog spells it (facts read from the upstream tag, written
 * independently of the release module so that a slip in either shows).
 */
const UPSTREAM_V2_37_0_ADDITIONS = {
  columns: [
    'profiles.uefi_wifi_sync_enabled boolean',
    'proxyconfigs.proxy_config_name citext NOT NULL',
    'proxyconfigs.address citext NOT NULL',
    'proxyconfigs.info_format integer NOT NULL',
    'proxyconfigs.port integer NOT NULL',
    'proxyconfigs.network_dns_suffix character varying(192)',
    'proxyconfigs.creation_date timestamp without time zone',
    'proxyconfigs.tenant_id character varying(36) NOT NULL',
    'profiles_proxyconfigs.proxy_config_name citext NOT NULL',
    'profiles_proxyconfigs.profile_name citext NOT NULL',
    'profiles_proxyconfigs.priority integer NOT NULL',
    'profiles_proxyconfigs.creation_date timestamp without time zone',
    'profiles_proxyconfigs.created_by character varying(40)',
    'profiles_proxyconfigs.tenant_id character varying(36) NOT NULL',
  ],
  constraints: [
    'proxyconfigs PRIMARY KEY (proxy_config_name, tenant_id)',
    'proxyconfigs UNIQUE address_port_tenant_id (address, port, tenant_id)',
    'profiles_proxyconfigs PRIMARY KEY (proxy_config_name, profile_name, priority, tenant_id)',
    'profiles_proxyconfigs FOREIGN KEY (proxy_config_name, tenant_id) REFERENCES proxyconfigs (proxy_config_name, tenant_id)',
    'profiles_proxyconfigs FOREIGN KEY (profile_name, tenant_id) REFERENCES profiles (profile_name, tenant_id)',
  ],
  extensions: { rps: ['citext'], mps: [] as string[] },
};

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

const lines = (text: string) => text.trim().split('\n').filter(Boolean);
const pgCatalog = (db: string) => ({
  tables: lines(
    psql([
      '-d',
      db,
      '-c',
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    ]),
  ).sort(),
  columns: lines(psql(['-d', db, '-c', PG_CATALOG_QUERIES.columns])),
  constraints: lines(
    psql(['-d', db, '-c', PG_CATALOG_QUERIES.constraints]),
  ).sort(),
  indexes: lines(psql(['-d', db, '-c', PG_CATALOG_QUERIES.indexes])).sort(),
  extensions: lines(psql(['-d', db, '-c', PG_CATALOG_QUERIES.extensions])),
});
const expectedPgCatalog = (schema: DatabaseSchema) => ({
  tables: schema.tables.map(t => t.name).sort(),
  columns: expectedColumns(schema),
  constraints: expectedConstraints(schema),
  indexes: expectedIndexes(schema),
  extensions: [...schema.extensions].sort(),
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
  'PostgreSQL schema files of %s',
  (_id, release) => {
    const n = namesFor(release);
    const scripts = databaseAdapters.postgresql.schemaSql(n);

    it('reproduce the toolkit column definitions', () => {
      expect(columnsOf(scripts.mps, 'devices')).toEqual(
        normalise(UPSTREAM_DEVICES),
      );
      expect(columnsOf(scripts.rps, 'ciraconfigs')).toEqual(
        normalise(UPSTREAM_CIRACONFIGS),
      );
      expect(scripts.rps).toContain('CREATE EXTENSION IF NOT EXISTS citext;');
      expect(scripts.rps).toContain(`schema of toolkit ${release.id}`);
    });

    it('run twice with psql (setup, rps, mps) and leave exactly the release in the catalog', () => {
      const setup = file(`pg-setup-${release.id}.sql`, scripts.setup!);
      const rps = file(`pg-rps-${release.id}.sql`, scripts.rps);
      const mps = file(`pg-mps-${release.id}.sql`, scripts.mps);
      for (let run = 0; run < 2; run++) {
        psql(['-d', 'postgres', '-f', setup]);
        psql(['-d', n.rpsDatabase, '-f', rps]);
        psql(['-d', n.mpsDatabase, '-f', mps]);
      }
      expect(pgCatalog(n.rpsDatabase)).toEqual(
        expectedPgCatalog(release.schema.rps),
      );
      expect(pgCatalog(n.mpsDatabase)).toEqual(
        expectedPgCatalog(release.schema.mps),
      );
    });
  },
);

describe('PostgreSQL catalog of v2.37.0 against the upstream facts', () => {
  const n = namesFor(TOOLKIT_V2_37_0);

  it('has the tables, columns, constraints and extensions data/init.sql of v2.37.0 adds', () => {
    const rps = pgCatalog(n.rpsDatabase);
    expect(rps.tables).toEqual(
      expect.arrayContaining(['proxyconfigs', 'profiles_proxyconfigs']),
    );
    expect(rps.columns).toEqual(
      expect.arrayContaining(UPSTREAM_V2_37_0_ADDITIONS.columns),
    );
    expect(rps.constraints).toEqual(
      expect.arrayContaining(UPSTREAM_V2_37_0_ADDITIONS.constraints),
    );
    expect(rps.extensions).toEqual(UPSTREAM_V2_37_0_ADDITIONS.extensions.rps);
    expect(pgCatalog(n.mpsDatabase).extensions).toEqual(
      UPSTREAM_V2_37_0_ADDITIONS.extensions.mps,
    );
  });

  it('would notice a release module that drifted from the database (injected defect)', () => {
    const drifted: DatabaseSchema = {
      ...TOOLKIT_V2_37_0.schema.rps,
      tables: TOOLKIT_V2_37_0.schema.rps.tables.map(t =>
        t.name === 'proxyconfigs'
          ? {
              ...t,
              columns: t.columns.map(c =>
                c.name === 'port' ? { ...c, notNull: false } : c,
              ),
            }
          : t,
      ),
    };
    expect(pgCatalog(n.rpsDatabase)).not.toEqual(expectedPgCatalog(drifted));
  });

  it('creates declared indexes idempotently (a release with an index, run twice)', () => {
    const withIndex: ToolkitRelease = {
      ...TOOLKIT_V2_37_0,
      schema: {
        ...TOOLKIT_V2_37_0.schema,
        mps: {
          ...TOOLKIT_V2_37_0.schema.mps,
          tables: TOOLKIT_V2_37_0.schema.mps.tables.map(t => ({
            ...t,
            indexes: [
              { name: 'devices_lastseen', columns: ['lastseen', 'tenantid'] },
            ],
          })),
        },
      },
    };
    const db = `oamt_schema_idx_${pid}`;
    psql(['-d', 'postgres', '-c', `CREATE DATABASE "${db}"`]);
    try {
      const statements = postgresSchema(withIndex).mps;
      const path = file('pg-idx.sql', statements.map(s => `${s};`).join('\n'));
      psql(['-d', db, '-f', path]);
      psql(['-d', db, '-f', path]);
      expect(pgCatalog(db).indexes).toEqual([
        'devices devices_lastseen (lastseen, tenantid)',
      ]);
      expect(expectedIndexes(withIndex.schema.mps)).toEqual(
        pgCatalog(db).indexes,
      );
    } finally {
      psql([
        '-d',
        'postgres',
        '-c',
        `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
      ]);
    }
  });
});

/** information_schema.COLUMNS.COLUMN_TYPE of each model type in the MariaDB translation. */
function mariadbColumnType(type: ColumnType): string {
  if (typeof type === 'object') return `varchar(${type.varchar})`;
  switch (type) {
    case 'citext':
      return 'varchar(256)';
    case 'text':
    case 'json':
    case 'text[]':
    case 'int[]':
      return 'longtext';
    case 'integer':
      return 'int(11)';
    case 'boolean':
      return 'tinyint(1)';
    case 'timestamp':
    case 'timestamptz':
      return 'datetime(6)';
    case 'uuid':
      return 'char(36)';
    default: {
      const never: never = type;
      throw new Error(`unmapped ${String(never)}`);
    }
  }
}

const mariadbCatalog = (db: string) => ({
  tables: lines(
    mariadbCli([
      '-e',
      `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db}'`,
    ]),
  ).sort(),
  columns: lines(
    mariadbCli([
      '-e',
      `SELECT CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME, ' ', c.COLUMN_TYPE, IF(c.IS_NULLABLE = 'NO', ' NOT NULL', ''))
       FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
         ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
       WHERE c.TABLE_SCHEMA = '${db}' ORDER BY t.CREATE_TIME, c.TABLE_NAME, c.ORDINAL_POSITION`,
    ]),
  ).sort(),
  constraints: lines(
    mariadbCli([
      '-e',
      `SELECT CONCAT(k.TABLE_NAME, ' ',
          CASE WHEN k.CONSTRAINT_NAME = 'PRIMARY' THEN 'PRIMARY KEY'
               WHEN MAX(k.REFERENCED_TABLE_NAME) IS NOT NULL THEN 'FOREIGN KEY'
               ELSE CONCAT('UNIQUE ', k.CONSTRAINT_NAME) END,
          ' (', GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '), ')',
          IF(MAX(k.REFERENCED_TABLE_NAME) IS NULL, '', CONCAT(' REFERENCES ', MAX(k.REFERENCED_TABLE_NAME), ' (',
             GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ', '), ')')))
       FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA = '${db}'
       GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME`,
    ]),
  ).sort(),
});
const expectedMariadbCatalog = (schema: DatabaseSchema) => ({
  tables: schema.tables.map(t => t.name).sort(),
  columns: schema.tables
    .flatMap(t => [
      ...t.columns.map(
        c =>
          `${t.name}.${c.name} ${mariadbColumnType(c.type)}${
            c.notNull || t.primaryKey.includes(c.name) ? ' NOT NULL' : ''
          }`,
      ),
      // the stand-in for xmin on the tables RPS updates with a version (rowVersion.ts)
      ...(hasRowVersion(t.name)
        ? [`${t.name}.${ROW_VERSION_COLUMN} int(11) NOT NULL`]
        : []),
    ])
    .sort(),
  constraints: expectedConstraints(schema),
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
  'MariaDB schema files of %s',
  (_id, release) => {
    const n = namesFor(release);
    const scripts = databaseAdapters.mariadb.schemaSql(n);

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

    it('run twice with the mariadb client and leave exactly the release in the catalog', () => {
      for (let run = 0; run < 2; run++) {
        mariadbCli([], scripts.setup);
        mariadbCli([n.rpsDatabase], scripts.rps);
        mariadbCli([n.mpsDatabase], scripts.mps);
      }
      expect(mariadbCatalog(n.rpsDatabase)).toEqual(
        expectedMariadbCatalog(release.schema.rps),
      );
      expect(mariadbCatalog(n.mpsDatabase)).toEqual(
        expectedMariadbCatalog(release.schema.mps),
      );
      expect(mariadbCatalog(n.rpsDatabase).tables).toEqual(
        releaseTableNames(release, 'rps').sort(),
      );
    });
  },
);

describe.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
  'MSSQL schema files of %s (text only: no SQL Server here)',
  (_id, release) => {
    const scripts = databaseAdapters.mssql.schemaSql({
      ...names,
      toolkitRelease: release.id,
    });
    const statements = mssqlSchema(release);
    const RPS_TABLES = release.schema.rps.tables;
    const MPS_TABLES = release.schema.mps.tables;

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

    it('give exactly the tables RPS updates with a version a rowversion column (xmin stand-in)', () => {
      for (const table of [...RPS_TABLES, ...MPS_TABLES]) {
        const statement = [...statements.rps, ...statements.mps].find(s =>
          s.includes(`CREATE TABLE [dbo].[${table.name}]`),
        )!;
        expect(statement.includes('[row_version] ROWVERSION NOT NULL')).toBe(
          ROW_VERSION_TABLES.includes(table.name),
        );
      }
      expect(ROW_VERSION_TABLES.length).toBe(5);
      for (const name of ROW_VERSION_TABLES)
        expect(RPS_TABLES.map(t => t.name)).toContain(name);
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
  },
);
