import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleSources, currentDigest, ownInputs } from './sources';

describe('bundle sources', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-sources-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'export const b = 2;\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("keeps esbuild's inputs that are ours, not node_modules nor the generated entry", () => {
    expect(
      ownInputs(
        {
          'src/a.ts': {},
          'node_modules/mariadb/lib/index.js': {},
          'src/generated-entry.ts': {},
        },
        root,
      ),
    ).toEqual([path.join(root, 'src', 'a.ts')]);
  });

  it('sees a changed source, and trusts a package that ships no sources', () => {
    const files = ['a.ts', 'b.ts'].map(f => path.join(root, 'src', f));
    const sources = bundleSources(files, root);
    expect(sources.files).toEqual(['src/a.ts', 'src/b.ts']);
    expect(currentDigest(sources, root)).toBe(sources.digest);

    fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(currentDigest(sources, root)).not.toBe(sources.digest);

    fs.rmSync(path.join(root, 'src'), { recursive: true });
    expect(currentDigest(sources, root)).toBeUndefined();
  });
});
