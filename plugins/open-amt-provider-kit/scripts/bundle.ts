/**
 * Builds the provider bundles: `npm run bundle -- [--minify] [--out <dir>]` (default out: the package's bundles/ folder).
 * Prints each bundle's size and sha256; the manifest beside them records the same.
 */
import path from 'node:path';
import { buildBundles } from '../src/build';

async function main() {
  const args = process.argv.slice(2);
  const out = args.indexOf('--out');
  const manifest = await buildBundles({
    minify: args.includes('--minify'),
    outDir: out >= 0 ? path.resolve(args[out + 1]) : undefined,
  });
  for (const b of manifest.bundles) {
    process.stdout.write(`${b.path}\t${b.bytes} bytes\t${b.sha256}\n`);
  }
  if (manifest.bundles.length === 0) {
    process.stdout.write('no provider registered yet (src/entries.ts)\n');
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
