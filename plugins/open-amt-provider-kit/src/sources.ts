import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The sources a build read that this repository owns (the kit's own files and the workspace packages it imports;
 * not node_modules), by path relative to `root`, with one digest over their contents. In a checkout they all exist,
 * so stale bundles are detected; a published package has none of them and trusts its bundles.
 */
export interface BundleSources {
  files: string[];
  digest: string;
}

/**
 * The esbuild metafile's inputs that are ours (paths relative to `cwd`, as esbuild writes them): files on disk outside
 * node_modules (the generated entry is not a file; the modules that generate it are added by the build).
 */
export function ownInputs(
  inputs: Record<string, unknown>,
  cwd: string,
): string[] {
  return Object.keys(inputs)
    .filter(p => !p.includes('node_modules'))
    .map(p => path.resolve(cwd, p))
    .filter(p => fs.existsSync(p));
}

export function bundleSources(files: string[], root: string): BundleSources {
  const relative = [...new Set(files.map(f => path.relative(root, f)))].sort();
  return { files: relative, digest: digestOf(relative, root) };
}

/** The digest of the files as they are now; undefined when one is missing (a published package). */
export function currentDigest(
  sources: BundleSources,
  root: string,
): string | undefined {
  const missing = sources.files.some(f => !fs.existsSync(path.join(root, f)));
  return missing ? undefined : digestOf(sources.files, root);
}

function digestOf(relative: string[], root: string): string {
  const hash = createHash('sha256');
  for (const f of relative) {
    hash
      .update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(root, f)));
  }
  return hash.digest('hex');
}
