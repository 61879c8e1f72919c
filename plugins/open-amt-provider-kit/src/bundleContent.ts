import { promises as fs } from 'node:fs';
import { bundleFile, KIT_BUNDLES, KitBundle } from './bundles';

/**
 * A built bundle's content, for the scaffolder that writes it into a deployment repository. Throws naming the bundle
 * when the kit has no such provider, or when it is not built (scripts/bundle.ts).
 */
export async function kitBundleContent(
  bundle: KitBundle,
): Promise<string | Buffer> {
  const label = `${bundle.service} ${bundle.kind} provider "${bundle.name}"`;
  if (
    !KIT_BUNDLES.some(
      b =>
        b.service === bundle.service &&
        b.kind === bundle.kind &&
        b.name === bundle.name,
    )
  )
    throw new Error(`the provider kit has no ${label}`);
  try {
    return await fs.readFile(bundleFile(bundle));
  } catch (error) {
    throw new Error(
      `the provider kit's ${label} is not built (npm run bundle in plugins/open-amt-provider-kit): ${
        (error as NodeJS.ErrnoException).code ?? error
      }`,
    );
  }
}
