/**
 * TechDocs for the deployment: mkdocs.yml at the repository root (catalog-info.yaml's System says
 * `backstage.io/techdocs-ref: dir:.`) and docs/index.md, the runbook, so the runbook reads on the entity page.
 * The runbook's text has one source (renderRunbook); docs/index.md carries the same text as README.md.
 * No mkdocs plugins are named: the TechDocs generator adds techdocs-core itself.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { RenderedFile } from './types';
import { toYaml } from './yaml';

/** The catalog annotation TechDocs reads, and where this repository's mkdocs.yml is relative to catalog-info.yaml. */
export const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';
export const TECHDOCS_REF = 'dir:.';

export const TECHDOCS_INDEX = 'docs/index.md';

export function renderTechDocs(
  spec: DeploymentSpec,
  runbook: RenderedFile,
): RenderedFile[] {
  const header =
    '# TechDocs of this deployment (catalog-info.yaml: backstage.io/techdocs-ref: dir:.).\n' +
    '# docs/index.md is the runbook, the same text as README.md: change both together.\n';
  return [
    {
      path: 'mkdocs.yml',
      content: `${header}${toYaml({
        site_name: `Open AMT ${spec.name}`,
        site_description: `Runbook of the Open AMT deployment ${spec.name}`,
        docs_dir: 'docs',
        nav: [{ Runbook: 'index.md' }],
      })}`,
    },
    { path: TECHDOCS_INDEX, content: runbook.content },
  ];
}
