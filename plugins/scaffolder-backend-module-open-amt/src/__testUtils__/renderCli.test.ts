/** `npm run render`: the same files as the render action; bad input exits 2 naming the field and writes nothing. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../render';
import { specFor } from './specs';

jest.setTimeout(60_000);

const packageRoot = path.resolve(__dirname, '../..');
const run = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['-r', 'sucrase/register', 'scripts/render.ts', ...args],
    { cwd: packageRoot, encoding: 'utf8' },
  );

describe('npm run render', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-cli-'));
  // A folder laid out as the kit builds its bundles.
  const bundles = path.join(tmp, 'bundles');
  for (const service of ['mps', 'rps']) {
    const dir = path.join(bundles, service, 'dist/data/mariadb');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), `// ${service} mariadb\n`);
  }
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('renders an example combination exactly as renderDeployment does', () => {
    const out = path.join(tmp, 'example');
    const result = run(
      '--example',
      '--database',
      'mariadb',
      '--secrets',
      'vault',
      '--gateway',
      'kong',
      '--target',
      'compose',
      '--out',
      out,
      '--bundles',
      bundles,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = renderDeployment(
      parseDeploymentSpec(
        specFor({
          database: 'mariadb',
          secrets: 'vault',
          gateway: 'kong',
          target: 'compose',
        }),
      ),
    );
    for (const file of expected)
      expect(fs.readFileSync(path.join(out, file.path), 'utf8')).toBe(
        file.content,
      );
    // MariaDB is a kit row: its bundle sits where images/<service>/Dockerfile copies it from.
    for (const service of ['mps', 'rps'])
      expect(
        fs.readFileSync(
          path.join(out, `images/${service}/dist/data/mariadb/index.js`),
          'utf8',
        ),
      ).toBe(`// ${service} mariadb\n`);
  });

  it('exits 2 and writes nothing when the kit cannot give a bundle', () => {
    const out = path.join(tmp, 'no-bundles');
    const result = run(
      '--example',
      '--database',
      'mariadb',
      '--secrets',
      'vault',
      '--gateway',
      'kong',
      '--target',
      'compose',
      '--out',
      out,
      '--bundles',
      path.join(tmp, 'nowhere'),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /cannot add the provider kit's bundles: .*ENOENT/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('renders a spec file', () => {
    const specFile = path.join(tmp, 'spec.json');
    fs.writeFileSync(
      specFile,
      JSON.stringify(
        specFor({
          database: 'postgresql',
          secrets: 'vault',
          gateway: 'tyk',
          target: 'aks',
        }),
      ),
    );
    const result = run(
      '--spec',
      specFile,
      '--out',
      path.join(tmp, 'from-spec'),
    );
    expect(result.status).toBe(0);
    expect(
      fs.existsSync(path.join(tmp, 'from-spec', 'catalog-info.yaml')),
    ).toBe(true);
  });

  it('exits 2 naming the field, before writing anything', () => {
    const specFile = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(
      specFile,
      `${JSON.stringify({
        ...specFor({
          database: 'postgresql',
          secrets: 'vault',
          gateway: 'kong',
          target: 'compose',
        }),
        fqdn: 'not a host',
      })}\n`,
    );
    const out = path.join(tmp, 'bad');
    const result = run('--spec', specFile, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/spec\.fqdn/);
    expect(fs.existsSync(out)).toBe(false);
    const unknown = run(
      '--example',
      '--database',
      'oracle',
      '--secrets',
      'vault',
      '--gateway',
      'kong',
      '--target',
      'compose',
      '--out',
      out,
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/spec\.database\.provider/);
    expect(run('--out', out).status).toBe(2);
  });
});
