/**
 * renderDeployment: a validated spec in, the deployment repository's files out. Pure (no I/O), so the
 * action, the tests and the benchmark share it.
 */
import {
  DeploymentSpec,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf, secretStoreRendererOf } from './providers';
import { renderCatalogInfo } from './catalogInfo';
import { renderCompose } from './compose';
import { renderDatabase } from './database';
import { renderKubernetes } from './kubernetes';
import { renderBuildImages } from './buildImages';
import { renderKitImages } from './kitImages';
import { renderRunbook } from './runbook';
import { renderTechDocs } from './techDocs';
import { RenderedFile } from './types';

export type { RenderedFile, Renderer } from './types';
export { kitBundleFiles } from './kitImages';
export type { KitBundleFile } from './kitImages';

const TARGET_RENDERERS = {
  compose: renderCompose,
  kubernetes: renderKubernetes,
} as const;

export function renderDeployment(spec: DeploymentSpec): RenderedFile[] {
  const runbook = renderRunbook(spec);
  const files = [
    ...runbook,
    ...renderTechDocs(spec, runbook[0]),
    ...TARGET_RENDERERS[TARGETS[spec.target].platform](spec),
    ...gatewayRendererOf(spec).files(spec),
    ...secretStoreRendererOf(spec).bootstrap(spec),
    ...renderDatabase(spec),
    ...renderKitImages(spec),
    ...renderBuildImages(spec),
    ...renderCatalogInfo(spec),
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two renderers wrote ${f.path}`);
    seen.add(f.path);
  }
  return files;
}
