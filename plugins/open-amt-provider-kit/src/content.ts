import fs from 'node:fs';
import { bundleFile, KitBundle } from './bundles';
import { buildBundles } from './build';
import { kitEntryOf } from './entries';

let building: Promise<unknown> | undefined;
const cache = new Map<string, Buffer>();

/**
 * The built bundle for the scaffolder to add to a generated repository. When the package's bundles/ folder lacks it
 * (nobody ran `npm run bundle` in this package), every bundle is built once, so the portal needs no separate step; results are cached.
 */
export async function kitBundleContent(bundle: KitBundle): Promise<Buffer> {
  const file = bundleFile(bundle);
  const cached = cache.get(file);
  if (cached) return cached;
  if (!kitEntryOf(bundle)) {
    throw new Error(
      `The provider kit has no ${bundle.kind} provider "${bundle.name}" for ${bundle.service}`,
    );
  }
  if (!fs.existsSync(file)) {
    building ??= buildBundles().catch(error => {
      building = undefined;
      throw error;
    });
    await building;
  }
  const content = fs.readFileSync(file);
  cache.set(file, content);
  return content;
}
