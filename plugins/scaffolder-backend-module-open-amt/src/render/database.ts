/** Database schema of the spec's release for the chosen engine, from the provider's adapter (the same SQL init executes). */
import { databaseRendererOf } from './providers';
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { RenderedFile } from './types';

export function renderDatabase(spec: DeploymentSpec): RenderedFile[] {
  const { rpsDatabase, mpsDatabase } = spec.database;
  const scripts = databaseRendererOf(spec).adapter.schemaSql({
    rpsDatabase,
    mpsDatabase,
    toolkitRelease: spec.toolkitRelease,
  });
  const engine = databaseRendererOf(spec).info.engine;
  return [
    { path: `database/${engine}/${rpsDatabase}.sql`, content: scripts.rps },
    { path: `database/${engine}/${mpsDatabase}.sql`, content: scripts.mps },
  ];
}
