import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { promises as fs } from 'fs';
import path from 'path';
import type { RepositoryFile } from './kitBundles';

/** Writes the deployment repository's files under `base`, resolving every destination first (a bad path writes nothing). */
export async function writeRepositoryFiles(
  base: string,
  files: readonly RepositoryFile[],
): Promise<void> {
  const targets = files.map(f => ({
    file: f,
    dest: resolveSafeChildPath(base, f.path),
  }));
  for (const { file, dest } of targets) {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.writeFile(dest, file.content, {
      mode: file.path.endsWith('.sh') ? 0o755 : 0o644,
    });
  }
}
