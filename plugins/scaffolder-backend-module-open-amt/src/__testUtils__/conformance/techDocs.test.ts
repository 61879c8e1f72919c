/**
 * TechDocs of a rendered repository: the conformance rule techdocs (catalog annotation → mkdocs.yml → nav pages,
 * docs/index.md the runbook) fails on each defect, and the real mkdocs (Debian package `mkdocs`, installed by
 * .ci/run) builds the rendered docs with --strict. TechDocs adds its techdocs-core plugin when it generates;
 * that plugin is on PyPI and not installed here, so this builds with plain mkdocs (not verified with techdocs-core).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject, rendered } from './fixtures';
import { RenderedOutput } from './output';
import { techDocsRule } from './rules/techDocs';

const COMPOSE = rendered({
  database: 'mariadb',
  secrets: 'azure-key-vault',
  gateway: 'kong',
  target: 'compose',
});
const K8S = rendered({
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'tyk',
  target: 'kubernetes',
});

describe('techdocs rule', () => {
  it('holds for rendered repositories', () => {
    expect(techDocsRule.check(COMPOSE)).toEqual([]);
    expect(techDocsRule.check(K8S)).toEqual([]);
  });

  it('catches a missing docs/index.md', () => {
    expect(techDocsRule.check(K8S.withoutFile('docs/index.md'))).toEqual([
      'docs/index.md is missing: the docs have no home page, so TechDocs shows no runbook',
      'mkdocs.yml: nav names index.md, but docs/index.md is not in the repository',
    ]);
  });

  it('catches an annotation pointing elsewhere, and none at all', () => {
    expect(
      techDocsRule.check(
        inject(
          K8S,
          'catalog-info.yaml',
          /backstage.io\/techdocs-ref: "dir:."/,
          'backstage.io/techdocs-ref: dir:./docs',
        ),
      ),
    ).toEqual([
      'catalog-info.yaml: backstage.io/techdocs-ref dir:./docs names a folder without mkdocs.yml: TechDocs has nothing to build',
    ]);
    expect(
      techDocsRule.check(
        inject(
          K8S,
          'catalog-info.yaml',
          /backstage.io\/techdocs-ref: "dir:."/,
          'backstage.io/techdocs-ref: url:https://example.com/docs',
        ),
      ),
    ).toEqual([
      'catalog-info.yaml: the System has no backstage.io/techdocs-ref dir: annotation, so its entity page shows no docs',
    ]);
  });

  it('catches a nav page that does not exist and a runbook that drifted from README.md', () => {
    expect(
      techDocsRule.check(
        inject(K8S, 'mkdocs.yml', 'Runbook: index.md', 'Runbook: runbook.md'),
      ),
    ).toEqual([
      'mkdocs.yml: nav names runbook.md, but docs/runbook.md is not in the repository',
    ]);
    expect(
      techDocsRule.check(inject(COMPOSE, 'docs/index.md', /^# /, '# Old ')),
    ).toEqual([
      'docs/index.md differs from README.md: the runbook in TechDocs is not the runbook in the repository',
    ]);
  });
});

describe('mkdocs build --strict', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'techdocs-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function build(out: RenderedOutput, name: string) {
    const dir = path.join(tmp, name);
    for (const f of out.files) {
      fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.content);
    }
    return spawnSync(
      'mkdocs',
      ['build', '--strict', '--site-dir', path.join(tmp, `${name}-site`)],
      { cwd: dir, encoding: 'utf8' },
    );
  }

  it('builds the rendered runbook as the docs home page', () => {
    const run = build(K8S, 'k8s');
    if (run.error)
      throw new Error(
        `mkdocs is not installed (apt-get install mkdocs, as .ci/run does): ${run.error.message}`,
      );
    expect(run.stderr).not.toMatch(/WARNING|ERROR/);
    expect(run.status).toBe(0);
    const html = fs.readFileSync(
      path.join(tmp, 'k8s-site', 'index.html'),
      'utf8',
    );
    expect(html).toContain(`Open AMT deployment: ${K8S.spec.name}`);
    expect(build(COMPOSE, 'compose').status).toBe(0);
  });

  it('fails on a nav page that is not there (the test can fail)', () => {
    const run = build(
      inject(K8S, 'mkdocs.yml', 'Runbook: index.md', 'Runbook: missing.md'),
      'broken',
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/missing\.md/);
  });
});
