import { isPinnedImage } from '../spec/images';
import {
  TOOLKIT_SERVICE_IDS,
  type DatabaseSchema,
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

/** The list must be newest first, without duplicates. */
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
    }
  }
  return issues;
}
