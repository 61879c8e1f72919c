/**
 * The supported toolkit releases, newest first. Adding release N+1 = one new module beside these (plus, later,
 * its schema migration) and one line here.
 */
import type { ToolkitRelease } from './types';
import { TOOLKIT_V2_26_0 } from './v2_26_0';
import { TOOLKIT_V2_37_0 } from './v2_37_0';

export * from './types';
export {
  applySchemaMigration,
  compareReleaseIds,
  releaseIssues,
  releaseListIssues,
} from './check';
export { TOOLKIT_V2_26_0 } from './v2_26_0';
export { TOOLKIT_V2_37_0 } from './v2_37_0';

export const TOOLKIT_RELEASES: readonly ToolkitRelease[] = [
  TOOLKIT_V2_37_0,
  TOOLKIT_V2_26_0,
];

/** Release ids, newest first (the spec's enum and the template's choices). */
export const TOOLKIT_RELEASE_IDS = TOOLKIT_RELEASES.map(r => r.id) as [
  string,
  ...string[],
];
export type ToolkitReleaseId = string;

/** New deployments get the newest release. */
export const LATEST_TOOLKIT_RELEASE: ToolkitRelease = TOOLKIT_RELEASES[0];

/** Deployments scaffolded before releases were data carry no open-amt.io/toolkit-release annotation: they run this. */
export const UNANNOTATED_TOOLKIT_RELEASE: ToolkitRelease = TOOLKIT_V2_26_0;

export function isToolkitReleaseId(id: string): boolean {
  return TOOLKIT_RELEASES.some(r => r.id === id);
}

/** The release with this id; throws naming the supported ones when there is none. */
export function toolkitRelease(id: string): ToolkitRelease {
  const release = TOOLKIT_RELEASES.find(r => r.id === id);
  if (!release) {
    throw new Error(
      `unknown toolkit release "${id}"; supported: ${TOOLKIT_RELEASE_IDS.join(
        ', ',
      )}`,
    );
  }
  return release;
}

/** Every table name of one database of a release, in creation order. */
export function releaseTableNames(
  release: ToolkitRelease,
  side: 'rps' | 'mps',
): string[] {
  return release.schema[side].tables.map(t => t.name);
}

/** One line for pickers and runbooks: `v2.37.0 (2026-08): mps 2.34.1, rps 2.39.4, mps-router 2.5.13, web UI 3.61.1`. */
export function describeToolkitRelease(release: ToolkitRelease): string {
  const c = release.components;
  return `${release.id} (${release.date}): mps ${c.mps.version}, rps ${c.rps.version}, mps-router ${c.mpsrouter.version}, web UI ${c.webui.version}`;
}
