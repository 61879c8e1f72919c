import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** One file of the rendered deployment repository, relative to its root. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** A renderer turns a validated spec into files; one per target and per provider. */
export type Renderer = (spec: DeploymentSpec) => RenderedFile[];
