import path from 'node:path';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const ANNOTATION = 'backstage.io/techdocs-ref';

/** Every page a mkdocs nav names (nested sections included); external links are not pages. */
function navPages(nav: unknown): string[] {
  if (typeof nav === 'string') return /^[a-z]+:\/\//i.test(nav) ? [] : [nav];
  if (Array.isArray(nav)) return nav.flatMap(navPages);
  if (nav && typeof nav === 'object')
    return Object.values(nav).flatMap(navPages);
  return [];
}

function violations(out: RenderedOutput): string[] {
  const found: string[] = [];
  const system = out.yaml('catalog-info.yaml').find(e => e?.kind === 'System');
  const ref: unknown = system?.metadata?.annotations?.[ANNOTATION];
  if (typeof ref !== 'string' || !ref.startsWith('dir:')) {
    found.push(
      `catalog-info.yaml: the System has no ${ANNOTATION} dir: annotation, so its entity page shows no docs`,
    );
    return found;
  }
  // dir: is relative to catalog-info.yaml, which sits at the repository root.
  const dir = path.posix.normalize(ref.slice('dir:'.length) || '.');
  const mkdocsPath = dir === '.' ? 'mkdocs.yml' : `${dir}/mkdocs.yml`;
  const mkdocs = out.yaml(mkdocsPath)[0];
  if (!mkdocs) {
    found.push(
      `catalog-info.yaml: ${ANNOTATION} ${ref} names a folder without mkdocs.yml: TechDocs has nothing to build`,
    );
    return found;
  }
  if (typeof mkdocs.site_name !== 'string' || !mkdocs.site_name)
    found.push(`${mkdocsPath}: no site_name, which mkdocs requires`);
  const docsDir = path.posix.join(dir, mkdocs.docs_dir ?? 'docs');
  const index = `${docsDir}/index.md`;
  if (out.file(index) === undefined)
    found.push(
      `${index} is missing: the docs have no home page, so TechDocs shows no runbook`,
    );
  for (const page of navPages(mkdocs.nav)) {
    const file = path.posix.join(docsDir, page);
    if (out.file(file) === undefined)
      found.push(
        `${mkdocsPath}: nav names ${page}, but ${file} is not in the repository`,
      );
  }
  const readme = out.file('README.md');
  if (out.file(index) !== undefined && out.file(index) !== readme)
    found.push(
      `${index} differs from README.md: the runbook in TechDocs is not the runbook in the repository`,
    );
  return found;
}

export const techDocsRule: ConformanceRule = {
  id: 'techdocs',
  fact: "TechDocs builds an entity's docs from the folder its backstage.io/techdocs-ref dir: annotation names, relative to catalog-info.yaml: mkdocs.yml there, every nav page under its docs_dir (default docs), index.md the home page",
  source:
    'Backstage TechDocs docs (how-to-guides, "techdocs-ref: dir:"); mkdocs 1.4 configuration (site_name required, docs_dir default docs, nav paths relative to docs_dir); mkdocs build --strict on a rendered repository in techDocs.test.ts',
  check: violations,
};
