import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { kitBundleFiles } from '../../render';

/** A file of the deployment repository as its writers write it: rendered text, or a bundle's bytes. */
export interface RepositoryFile {
  path: string;
  content: string | Buffer;
}

/**
 * The rendered files plus the provider kit's bundles the built images copy (`images/<service>/dist/<kind>/<name>/
 * index.js`, listed in images/bundles.json), read from the kit. Throws naming the bundle when the kit cannot give it.
 */
export async function withKitBundles(
  spec: DeploymentSpec,
  rendered: { path: string; content: string }[],
  kitBundle: (b: {
    service: 'mps' | 'rps';
    kind: 'data' | 'secrets';
    name: string;
  }) => Promise<string | Buffer>,
): Promise<RepositoryFile[]> {
  const bundles = await Promise.all(
    kitBundleFiles(spec).map(async b => ({
      path: b.path,
      content: await kitBundle({
        service: b.service,
        kind: b.kind,
        name: b.name,
      }),
    })),
  );
  return [...rendered, ...bundles];
}
