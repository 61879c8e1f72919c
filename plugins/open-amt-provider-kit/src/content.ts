import fs from 'node:fs';
import { BUNDLES_DIR, bundleFile, KitBundle } from './bundles';
import path from 'node:path';
import {
  BundleManifest,
  buildBundles,
  KIT_PACKAGE_DIR,
  MANIFEST_FILE,
} from './build';
import { currentDigest } from './sources';
import { kitEntryOf } from './entries';

let building: Promise<unknown> | undefined;
const cache = new Map<string, Buffer>();

/** True when bundles/ holds a build of the sources as they are (or of a published package, which has no sources). */
function builtBundlesCurrent(): boolean {
  const file = path.join(BUNDLES_DIR, MANIFEST_FILE);
  if (!fs.existsSync(file)) return false;
  const manifest = JSON.parse(
    fs.readFileSync(file, 'utf8'),
  ) as Partial<BundleManifest>;
  if (!manifest.sources) return false;
  const now = currentDigest(manifest.sources, KIT_PACKAGE_DIR);
  return now === undefined || now === manifest.sources.digest;
}

/**
 * The built bundle for the scaffolder to add to a generated repository. When the package's bundles/ folder lacks it
 * (nobody ran `npm run bundle` in this package) or holds a build of other sources (a checkout whose kit changed),
 * every bundle is built once, so the portal needs no separate step; results are cached.
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
  if (!fs.existsSync(file) || !builtBundlesCurrent()) {
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
