import { isPinnedImage } from '../spec/images';
import {
  TOOLKIT_SERVICE_IDS,
  type DatabaseSchema,
  type SchemaMigrationStep,
  type ToolkitRelease,
} from './types';

/** Orders `v2.37.0` after `v2.26.0` (numeric, not lexical). */
export function compareReleaseIds(a: string, b: string): number {
  const parts = (id: string) => id.replace(/^v/, '').split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function schemaIssues(where: string, schema: DatabaseSchema): string[] {
  const issues: string[] = [];
  const created = new Set<string>();
  for (const table of schema.tables) {
    const at = `${where}.${table.name}`;
    if (created.has(table.name)) issues.push(`${at}: declared twice`);
    const columns = table.columns.map(c => c.name);
    if (new Set(columns).size !== columns.length)
      issues.push(`${at}: a column is declared twice`);
    const keyed = [
      ...table.primaryKey,
      ...(table.unique ?? []).flatMap(u => u.columns),
      ...(table.foreignKeys ?? []).flatMap(f => f.columns),
      ...(table.indexes ?? []).flatMap(i => i.columns),
    ];
    for (const name of keyed)
      if (!columns.includes(name))
        issues.push(`${at}: key column ${name} is not a column`);
    if (table.primaryKey.length === 0) issues.push(`${at}: no primary key`);
    for (const fk of table.foreignKeys ?? []) {
      const target = schema.tables.find(t => t.name === fk.references.table);
      if (!target || !created.has(target.name)) {
        issues.push(
          `${at}: references ${fk.references.table}, which is not created before it`,
        );
      } else if (
        fk.references.columns.some(
          c => !target.columns.some(tc => tc.name === c),
        )
      ) {
        issues.push(
          `${at}: references a column ${fk.references.table} does not have`,
        );
      }
    }
    created.add(table.name);
  }
  return issues;
}

/** Everything that would make a release module unusable, one sentence each; empty for a sound release. */
export function releaseIssues(release: ToolkitRelease): string[] {
  const issues: string[] = [];
  if (!/^v\d+\.\d+\.\d+$/.test(release.id))
    issues.push(`id ${release.id} is not v<major>.<minor>.<patch>`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(release.date))
    issues.push(`date ${release.date} is not YYYY-MM`);
  for (const id of TOOLKIT_SERVICE_IDS) {
    const c = release.components[id];
    if (!c) {
      issues.push(`components.${id} is missing`);
      continue;
    }
    if (!isPinnedImage(c.image))
      issues.push(`components.${id}.image ${c.image} is not pinned`);
    if (!c.image.endsWith(`:v${c.version}`))
      issues.push(
        `components.${id}.image ${c.image} is not tagged v${c.version}`,
      );
    if (!Number.isInteger(c.user.uid) || c.user.uid < 0)
      issues.push(`components.${id}.user.uid must be a number`);
    // The provider kit's images copy bundles under it (Dockerfile COPY needs an absolute destination).
    if (
      (id === 'mps' || id === 'rps') &&
      !/^\/[\w.-]+(\/[\w.-]+)*$/.test(c.appDir ?? '')
    )
      issues.push(
        `components.${id}.appDir must be the image's absolute application folder`,
      );
    const keys = release.configKeys[id] ?? [];
    if (new Set(keys).size !== keys.length)
      issues.push(`configKeys.${id} lists a key twice`);
  }
  for (const [name, ref] of Object.entries(release.infrastructure)) {
    if (!isPinnedImage(ref))
      issues.push(`infrastructure.${name} ${ref} is not pinned`);
  }
  issues.push(
    ...schemaIssues('schema.rps', release.schema.rps),
    ...schemaIssues('schema.mps', release.schema.mps),
  );
  if (release.gatewayRoutes.length === 0) issues.push('gatewayRoutes is empty');
  return issues;
}

/** The schema a migration's steps leave when applied to `schema` (tables it creates go last, in step order). */
export function applySchemaMigration(
  schema: DatabaseSchema,
  steps: readonly SchemaMigrationStep[],
): DatabaseSchema {
  let tables = schema.tables;
  for (const step of steps) {
    switch (step.kind) {
      case 'addColumn':
        tables = tables.map(t =>
          t.name === step.table
            ? { ...t, columns: [...t.columns, step.column] }
            : t,
        );
        break;
      case 'createTable':
        tables = [...tables, step.table];
        break;
      default: {
        const never: never = step;
        throw new Error(`unknown migration step ${JSON.stringify(never)}`);
      }
    }
  }
  return { ...schema, tables };
}

/** Tables by name, so two schemas compare whatever order they list their tables in. */
const byName = (schema: DatabaseSchema) =>
  [...schema.tables].sort((a, b) => a.name.localeCompare(b.name));

/** Each release's migration must start at the release listed after it and turn that schema into its own. */
function migrationIssues(
  release: ToolkitRelease,
  previous: ToolkitRelease,
): string[] {
  const migration = release.migrationFromPrevious;
  if (!migration) return [`${release.id} has no migration from ${previous.id}`];
  if (migration.from !== previous.id)
    return [
      `${release.id}'s migration starts at ${migration.from}, not at the previous release ${previous.id}`,
    ];
  return (['rps', 'mps'] as const).flatMap(side => {
    const migrated = applySchemaMigration(
      previous.schema[side],
      migration[side],
    );
    return JSON.stringify(byName(migrated)) ===
      JSON.stringify(byName(release.schema[side])) &&
      JSON.stringify(migrated.extensions) ===
        JSON.stringify(release.schema[side].extensions)
      ? []
      : [
          `${release.id}'s ${side} migration does not turn ${previous.id}'s schema into ${release.id}'s`,
        ];
  });
}

/** The list must be newest first, without duplicates, and each release migrates from the one after it. */
export function releaseListIssues(
  releases: readonly ToolkitRelease[],
): string[] {
  const issues: string[] = [];
  for (let i = 1; i < releases.length; i++) {
    if (compareReleaseIds(releases[i - 1].id, releases[i].id) <= 0) {
      issues.push(
        `${releases[i - 1].id} is listed before ${
          releases[i].id
        }: newest first, each once`,
      );
    } else {
      issues.push(...migrationIssues(releases[i - 1], releases[i]));
    }
  }
  return issues;
}
