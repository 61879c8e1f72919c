/**
 * What a re-render changes in a deployment repository: the Day-2 templates (upgrade, change) show it in dry-run and
 * in the pull request's description before anything is published.
 */
import { createTwoFilesPatch } from 'diff';
import { RenderedFile } from './types';

export type FileChangeKind = 'added' | 'removed' | 'changed';

export interface FileChange {
  path: string;
  kind: FileChangeKind;
  /** Unified diff (a/<path> → b/<path>), three lines of context. */
  patch: string;
}

/** The files that differ between two renders of one deployment, by path; unchanged files are left out. */
export function diffRenderedFiles(
  before: readonly RenderedFile[],
  after: readonly RenderedFile[],
): FileChange[] {
  const old = new Map(before.map(f => [f.path, f.content]));
  const now = new Map(after.map(f => [f.path, f.content]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a === b) continue;
    let kind: FileChangeKind = 'changed';
    if (a === undefined) kind = 'added';
    else if (b === undefined) kind = 'removed';
    changes.push({
      path,
      kind,
      patch: createTwoFilesPatch(
        a === undefined ? '/dev/null' : `a/${path}`,
        b === undefined ? '/dev/null' : `b/${path}`,
        a ?? '',
        b ?? '',
        undefined,
        undefined,
        { context: 3 },
      ),
    });
  }
  return changes;
}

/** One line per file (`changed docker-compose.yml`), for task logs and the dry-run summary. */
export function summarizeFileChanges(changes: readonly FileChange[]): string[] {
  return changes.map(c => `${c.kind} ${c.path}`);
}
