/** Rendered files written to disk for the real tools (docker-compose, kubectl kustomize) to read. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { RenderedFile } from '../../render/types';

export function writeRenderedFiles(dir: string, files: RenderedFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

/**
 * A new temporary folder with the rendered files and placeholder secrets/*.env (the real ones come from
 * scripts/resolve-secrets.sh; docker-compose refuses a missing env_file). The caller removes it.
 */
export function composeTree(files: RenderedFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'open-amt-compose-'));
  writeRenderedFiles(dir, files);
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  for (const s of ['mps', 'rps', 'mpsrouter', 'tyk'])
    writeFileSync(join(dir, 'secrets', `${s}.env`), '# placeholder\n');
  return dir;
}
