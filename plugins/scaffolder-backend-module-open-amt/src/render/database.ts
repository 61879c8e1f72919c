/** Database schema of the spec's release for the chosen engine, from the provider's adapter (the same SQL init executes). */
import {
  DATABASE_PROVIDERS,
  DeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import { databaseAdapters } from '@open-amt-backstage/plugin-open-amt-node';
import { RenderedFile } from './types';

export function renderDatabase(spec: DeploymentSpec): RenderedFile[] {
  const { rpsDatabase, mpsDatabase } = spec.database;
  const scripts = databaseAdapters[spec.database.provider].schemaSql({
    rpsDatabase,
    mpsDatabase,
    toolkitRelease: spec.toolkitRelease,
  });
  const engine = DATABASE_PROVIDERS[spec.database.provider].engine;
  return [
    { path: `database/${engine}/${rpsDatabase}.sql`, content: scripts.rps },
    { path: `database/${engine}/${mpsDatabase}.sql`, content: scripts.mps },
  ];
}
