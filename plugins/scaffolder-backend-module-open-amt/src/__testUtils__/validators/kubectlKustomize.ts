/**
 * `kubectl kustomize kubernetes/` (Debian's kubernetes-client, no cluster needed) on the rendered files: the
 * kustomization must build, and every object of every listed file must come out of it.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { RenderedFile } from '../../render/types';
import { writeRenderedFiles } from './renderedTree';

export const KUBECTL = '/usr/bin/kubectl';

/** True when kubectl is there; in CI (.ci/run installs it) its absence is an error, elsewhere a warning. */
export function requireKubectl(): boolean {
  if (existsSync(KUBECTL)) return true;
  if (process.env.CI)
    throw new Error(
      `${KUBECTL} is missing: apt-get install -y kubernetes-client`,
    );
  // eslint-disable-next-line no-console
  console.warn(`${KUBECTL} not installed: kustomize validation skipped`);
  return false;
}

export function checkWithKustomize(files: RenderedFile[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'open-amt-kustomize-'));
  try {
    writeRenderedFiles(
      dir,
      files.filter(x => x.path.startsWith('kubernetes/')),
    );
    const result = spawnSync(KUBECTL, ['kustomize', join(dir, 'kubernetes')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.status !== 0)
      return [
        `kubectl kustomize failed: ${(
          result.stderr ||
          result.error?.message ||
          ''
        ).trim()}`,
      ];
    const built = new Set(
      parseAllDocuments(result.stdout)
        .map(d => d.toJS())
        .filter(Boolean)
        .map((o: any) => `${o.kind}/${o.metadata?.name}`),
    );
    const expected = files
      .filter(
        f =>
          f.path.startsWith('kubernetes/') &&
          !f.path.endsWith('kustomization.yaml'),
      )
      .flatMap(f =>
        parseAllDocuments(f.content)
          .map(d => d.toJS())
          .filter(Boolean),
      )
      .map((o: any) => `${o.kind}/${o.metadata?.name}`);
    return expected
      .filter(k => !built.has(k))
      .map(k => `kubectl kustomize left out ${k}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
