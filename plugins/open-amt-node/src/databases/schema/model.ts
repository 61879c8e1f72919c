/**
 * The database schema is release data (open-amt-common releases/): one engine-neutral model per release, so the
 * PostgreSQL, MariaDB and MSSQL scripts, the grants of init and the probe's expected tables cannot drift apart
 * — nor name a table the deployment's release does not have.
 */
import {
  LATEST_TOOLKIT_RELEASE,
  toolkitRelease,
  type DatabaseSchema,
  type ToolkitRelease,
} from '@open-amt-backstage/plugin-open-amt-common';

export type {
  Column,
  ColumnType,
  DatabaseSchema,
  ForeignKey,
  Index,
  Table,
} from '@open-amt-backstage/plugin-open-amt-common';

export type Side = 'rps' | 'mps';

/** The release an adapter works for: the named one, the newest when none is named. */
export function releaseFor(id: string | undefined): ToolkitRelease {
  return id === undefined ? LATEST_TOOLKIT_RELEASE : toolkitRelease(id);
}

/** The schema of one database of a release. */
export function schemaOf(release: ToolkitRelease, side: Side): DatabaseSchema {
  return release.schema[side];
}

/** The tables each side's service needs; what the probe compares with. */
export function missingTables(
  expected: readonly string[],
  present: Iterable<string>,
): string[] {
  const have = new Set([...present].map(name => name.toLowerCase()));
  return expected.filter(name => !have.has(name));
}
