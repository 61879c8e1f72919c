/** Database schema of the spec's release for the chosen engine, from the provider's adapter (the same SQL init executes). */
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { databaseRendererOf } from './providers';
import { RenderedFile } from './types';

export function renderDatabase(spec: DeploymentSpec): RenderedFile[] {
  const { rpsDatabase, mpsDatabase } = spec.database;
  const { info, adapter } = databaseRendererOf(spec);
  const scripts = adapter.schemaSql({
    rpsDatabase,
    mpsDatabase,
    toolkitRelease: spec.toolkitRelease,
  });
  const { engine } = info;
  return [
    { path: `database/${engine}/${rpsDatabase}.sql`, content: scripts.rps },
    { path: `database/${engine}/${mpsDatabase}.sql`, content: scripts.mps },
  ];
}
