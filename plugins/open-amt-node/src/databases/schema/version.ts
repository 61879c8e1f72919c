/**
 * The schema version of a deployment's databases: recorded in a table the project owns, or detected from the tables
 * and columns present (each release's schema data says exactly which it has), and the migration path between two
 * supported releases. Engine-neutral: the adapters read the catalog and run the statements.
 */
import {
  compareReleaseIds,
  isToolkitReleaseId,
  TOOLKIT_RELEASE_IDS,
  TOOLKIT_RELEASES,
  type SchemaMigrationStep,
  type ToolkitRelease,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { SchemaMigrationReport, SchemaVersionFinding } from '../../types';
import type { Side } from './model';
import { hasRowVersion, ROW_VERSION_COLUMN } from './rowVersion';

/** Prefixed so that no upstream release can ever create a table of that name. */
export const SCHEMA_VERSION_TABLE = 'oamt_backstage_schema_version';

/**
 * One row per step that set a version (`step` is the key, so writing a row twice is a no-op): the history says how a
 * database got where it is (created, detected, migrated). The current version is the newest release of any row.
 */
export const schemaVersionSteps = {
  initialize: (release: string) => `initialize ${release}`,
  detected: (release: string) => `detected ${release}`,
  migrate: (from: string, to: string) => `migrate ${from} to ${to}`,
};

/** Table name → column names, as the catalog lists them (our own version table and row-version column left out). */
export type CatalogColumns = Map<string, Set<string>>;

export function catalogFromRows(
  rows: readonly { table_name: string; column_name: string }[],
): CatalogColumns {
  const catalog: CatalogColumns = new Map();
  for (const { table_name: table, column_name: column } of rows) {
    const t = table.toLowerCase();
    if (t === SCHEMA_VERSION_TABLE) continue;
    if (hasRowVersion(t) && column.toLowerCase() === ROW_VERSION_COLUMN)
      continue;
    if (!catalog.has(t)) catalog.set(t, new Set());
    catalog.get(t)!.add(column.toLowerCase());
  }
  return catalog;
}

/** What the catalog lacks or has beyond the release's schema of one database, one sentence each. */
export function schemaDifferences(
  release: ToolkitRelease,
  side: Side,
  catalog: CatalogColumns,
): string[] {
  const differences: string[] = [];
  const expected = release.schema[side].tables;
  for (const table of expected) {
    const present = catalog.get(table.name);
    if (!present) {
      differences.push(`table ${table.name} is missing`);
      continue;
    }
    for (const c of table.columns)
      if (!present.has(c.name))
        differences.push(`column ${table.name}.${c.name} is missing`);
    for (const c of present)
      if (!table.columns.some(col => col.name === c))
        differences.push(`column ${table.name}.${c} is not in ${release.id}`);
  }
  for (const name of catalog.keys())
    if (!expected.some(t => t.name === name))
      differences.push(`table ${name} is not in ${release.id}`);
  return differences;
}

/**
 * The release whose tables and columns the catalog holds exactly. Several may match (mpsdb did not change between
 * v2.26.0 and v2.37.0): then `preferred` (the other database's release) if it is one of them, else the newest.
 */
export function detectFromCatalog(
  side: Side,
  catalog: CatalogColumns,
  preferred?: string,
): SchemaVersionFinding {
  if (catalog.size === 0)
    return { source: 'unknown', differences: ['the database has no tables'] };
  const compared = TOOLKIT_RELEASES.map(release => ({
    release,
    differences: schemaDifferences(release, side, catalog),
  }));
  const matching = compared
    .filter(c => c.differences.length === 0)
    .map(c => c.release.id);
  if (matching.length > 0) {
    const release =
      preferred && matching.includes(preferred) ? preferred : matching[0];
    return { release, source: 'detected', matching };
  }
  const nearest = [...compared].sort(
    (a, b) => a.differences.length - b.differences.length,
  )[0];
  return {
    source: 'unknown',
    differences: nearest.differences.map(
      d => `compared with ${nearest.release.id}: ${d}`,
    ),
  };
}

/** The newest release among the recorded rows, or undefined when none is a supported release. */
export function newestRecorded(
  releases: readonly string[],
): string | undefined {
  return releases
    .filter(isToolkitReleaseId)
    .sort(compareReleaseIds)
    .reverse()[0];
}

export interface MigrationHop {
  from: string;
  to: string;
  steps: Record<Side, readonly SchemaMigrationStep[]>;
}

/**
 * The migrations from `from` to `to`, one per consecutive pair of supported releases, oldest first. Refuses an
 * unknown release, a downgrade, and a gap (a release without a migration from the one before it).
 */
export function migrationPath(from: string, to: string): MigrationHop[] {
  for (const [label, id] of [
    ['The release to migrate from', from],
    ['The release to migrate to', to],
  ] as const) {
    if (!isToolkitReleaseId(id))
      throw new Error(
        `${label} (${id}) is not a supported toolkit release; supported: ${TOOLKIT_RELEASE_IDS.join(
          ', ',
        )}`,
      );
  }
  if (compareReleaseIds(to, from) < 0)
    throw new Error(
      `Refusing to migrate from ${from} down to ${to}: downgrades are not supported (restore a backup taken before the upgrade instead)`,
    );
  const ascending = [...TOOLKIT_RELEASES].reverse();
  const start = ascending.findIndex(r => r.id === from);
  const end = ascending.findIndex(r => r.id === to);
  return ascending.slice(start + 1, end + 1).map((release, i) => {
    const previous = ascending[start + i];
    const migration = release.migrationFromPrevious;
    if (!migration || migration.from !== previous.id)
      throw new Error(
        `No migration from ${previous.id} to ${release.id} in the release data`,
      );
    return {
      from: previous.id,
      to: release.id,
      steps: { rps: migration.rps, mps: migration.mps },
    };
  });
}

/** Name of a step in reports: `rps: add column profiles.uefi_wifi_sync_enabled`. */
export function describeStep(side: Side, step: SchemaMigrationStep): string {
  switch (step.kind) {
    case 'addColumn':
      return `${side}: add column ${step.table}.${step.column.name}`;
    case 'createTable':
      return `${side}: create table ${step.table.name}`;
    default: {
      const never: never = step;
      throw new Error(`unknown migration step ${JSON.stringify(never)}`);
    }
  }
}

/** Whether the step's object is already in the catalog (then it is skipped). */
export function stepPresent(
  step: SchemaMigrationStep,
  catalog: CatalogColumns,
): boolean {
  switch (step.kind) {
    case 'addColumn':
      return catalog.get(step.table)?.has(step.column.name) ?? false;
    case 'createTable':
      return catalog.has(step.table.name);
    default: {
      const never: never = step;
      throw new Error(`unknown migration step ${JSON.stringify(never)}`);
    }
  }
}

/** Records a step's effect in the catalog, so later steps see it. */
export function applyToCatalog(
  step: SchemaMigrationStep,
  catalog: CatalogColumns,
) {
  if (step.kind === 'addColumn') catalog.get(step.table)?.add(step.column.name);
  else
    catalog.set(step.table.name, new Set(step.table.columns.map(c => c.name)));
}

/** Refuses a database that holds a release other than the migration's start (older: a skipped migration; newer: a downgrade). */
export function checkStart(
  database: string,
  found: SchemaVersionFinding,
  from: string,
  to: string,
) {
  if (found.release === undefined) {
    throw new Error(
      `Database ${database} holds no known release's schema, so it cannot be migrated from ${from}: ${(
        found.differences ?? []
      ).join('; ')}`,
    );
  }
  const release = found.release;
  if (found.matching?.includes(from) || release === from) return;
  if (compareReleaseIds(release, from) < 0)
    throw new Error(
      `Database ${database} holds ${release}, older than ${from}: migrate from ${release} first (migrations cannot be skipped)`,
    );
  if (compareReleaseIds(release, to) > 0)
    throw new Error(
      `Database ${database} already holds ${release}, newer than ${to}: downgrades are not supported`,
    );
  // Between from and to (a re-run after a later hop was recorded): the remaining steps are present or skipped.
}

/** Test seam: called before each step runs (a test throws here to stop a migration mid-way). */
export interface MigrationHooks {
  beforeStep?(step: string): void | Promise<void>;
}

/**
 * What init does with a database holding another release than `target` (`found`, recorded or detected): nothing when
 * none is found (empty or partly created: the CREATEs complete it) or it is the target; a newer one is refused; an
 * older one is migrated by the engine's `apply` (CREATE TABLE IF NOT EXISTS alone would leave added columns out), and
 * each applied step is listed in `changes`.
 */
export async function migrateOlderOnInit(
  database: string,
  found: string | undefined,
  target: string,
  apply: (migration: SchemaMigrationReport) => Promise<void>,
  changes: string[],
): Promise<void> {
  if (found === undefined) return;
  const order = compareReleaseIds(found, target);
  if (order > 0)
    throw new Error(
      `Database ${database} holds toolkit ${found}, newer than target.toolkitRelease ${target}: downgrades are not supported`,
    );
  if (order === 0) return;
  const migration: SchemaMigrationReport = {
    from: found,
    to: target,
    steps: [],
    recorded: [],
  };
  await apply(migration);
  for (const { step, outcome } of migration.steps)
    if (outcome === 'applied') changes.push(`MIGRATE ${database} ${step}`);
}
