import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build, version, type BuildOptions, type Plugin } from 'esbuild';
import {
  BUNDLES_DIR,
  bundleRelativePath,
  KitBundle,
  KitService,
} from './bundles';
import { KIT_ENTRIES, KitEntry } from './entries';
import { bundleSources, BundleSources, ownInputs } from './sources';
import {
  HOST_MODULES,
  HOST_VALUES,
  HostValue,
  hostSpecifiers,
} from './hostModules';

/** Sources the entries import their factories from (also when this file runs compiled from dist/). */
export const KIT_SRC_DIR = path.join(path.dirname(BUNDLES_DIR), 'src');

/** The generated entry's name in esbuild's messages; host modules are external only when this file imports them. */
const ENTRY_NAME = 'open-amt-provider-kit-entry.ts';
export const ENTRY_PATH = path.join(KIT_SRC_DIR, ENTRY_NAME);

/**
 * Bundled CommonJS code (mariadb, tedious, the SDKs' dependencies) calls `require` for node built-ins; an ES module
 * has none, so the bundle makes one (esbuild's documented pattern for format esm + platform node).
 */
export const REQUIRE_BANNER =
  "import { createRequire as __kitCreateRequire } from 'node:module';\n" +
  'const require = __kitCreateRequire(import.meta.url);';

const hostValue = (entry: KitEntry, key: string): HostValue =>
  (HOST_VALUES[entry.bundle.service] as Record<string, HostValue>)[key];

/** A property of the entry's `host` object: how the value is read from its module's namespace `ns`. */
function hostProperty(key: string, value: HostValue, ns: string, name: string) {
  const prop = JSON.stringify(key);
  switch (value.use) {
    case 'export':
      return `${prop}: ${ns}[${JSON.stringify(value.name)}]`;
    case 'namespace':
      return `${prop}: ${ns}`;
    case 'property':
      return `get ${prop}() { return ${ns}[${JSON.stringify(
        value.name,
      )}][${JSON.stringify(value.property)}]; }`;
    case 'instance':
      return `${prop}: new ${ns}[${JSON.stringify(
        value.name,
      )}](${JSON.stringify(name)})`;
    default: {
      const never: never = value;
      throw new Error(`unknown host value ${JSON.stringify(never)}`);
    }
  }
}

/** The entry of one bundle: imports its host modules (relative, external), builds the provider, hands it back. */
export function entrySource(entry: KitEntry): string {
  const { service, kind, name } = entry.bundle;
  const modules = [...new Set(entry.host.map(k => hostValue(entry, k).module))];
  const ns = (module: string) => `host${modules.indexOf(module)}`;
  const arg = kind === 'data' ? 'connectionString' : 'logger';
  return [
    ...modules.map(
      m =>
        `import * as ${ns(m)} from ${JSON.stringify(
          HOST_MODULES[service][m].specifier,
        )};`,
    ),
    `import { ${entry.factory.name} as createProvider } from ${JSON.stringify(
      entry.module,
    )};`,
    '',
    'const host = {',
    ...entry.host.map(k => {
      const value = hostValue(entry, k);
      return `  ${hostProperty(k, value, ns(value.module), name)},`;
    }),
    '};',
    '',
    `/** ${service.toUpperCase()} ${kind} provider "${name}" (open-amt-provider-kit): the factory constructs it with the ${arg}. */`,
    'export default class KitProvider {',
    `  constructor(${arg}) {`,
    `    return createProvider(${arg}, host);`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Keeps the entry's host imports external: they resolve at runtime next to the service's own dist/. */
export function hostModulesExternal(service: KitService): Plugin {
  const specifiers = new Set(hostSpecifiers(service));
  return {
    name: 'open-amt-host-modules',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\.\// }, args => {
        if (!specifiers.has(args.path)) return undefined;
        if (args.importer !== ENTRY_PATH) {
          // Providers take host objects by injection; a relative import from src/ would point elsewhere at runtime.
          return {
            errors: [
              {
                text: `${args.importer} imports host module ${args.path}: take it as a factory parameter`,
              },
            ],
          };
        }
        return { path: args.path, external: true };
      });
    },
  };
}

/** esbuild's options for one bundle (the tests reuse them with other plugins). */
export function bundleBuildOptions(
  entry: KitEntry,
  options: { outfile: string; minify?: boolean },
): BuildOptions & { outfile: string } {
  return {
    stdin: {
      contents: entrySource(entry),
      resolveDir: KIT_SRC_DIR,
      sourcefile: ENTRY_NAME,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: options.minify ?? false,
    legalComments: 'eof',
    banner: { js: REQUIRE_BANNER },
    outfile: options.outfile,
    plugins: [hostModulesExternal(entry.bundle.service)],
    logLevel: 'silent',
  };
}

export interface BuiltBundle extends KitBundle {
  /** `<service>/dist/<kind>/<name>/index.js` under the output folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  esbuild: string;
  minify: boolean;
  bundles: BuiltBundle[];
  /** What the build read, relative to the package folder: kitBundleContent rebuilds when it changed. */
  sources: BundleSources;
}

/** The modules that write the entries (not inputs esbuild sees): a change to them changes every bundle. */
const ENTRY_GENERATORS = ['build.ts', 'entries.ts', 'hostModules.ts']
  .map(f => path.join(KIT_SRC_DIR, f))
  .filter(f => fs.existsSync(f));

/** The package folder (sources in the manifest are relative to it). */
export const KIT_PACKAGE_DIR = path.dirname(KIT_SRC_DIR);

export const MANIFEST_FILE = 'manifest.json';

/**
 * Builds every registered bundle into `outDir/<service>/dist/<kind>/<name>/index.js` (default: the package's
 * bundles/ folder, where bundleFile() points) and writes `manifest.json` with size and sha256 of each.
 */
export async function buildBundles(
  options: {
    outDir?: string;
    minify?: boolean;
    entries?: readonly KitEntry[];
  } = {},
): Promise<BundleManifest> {
  const outDir = options.outDir ?? BUNDLES_DIR;
  const minify = options.minify ?? false;
  const bundles: BuiltBundle[] = [];
  const inputs: string[] = [];
  for (const entry of options.entries ?? KIT_ENTRIES) {
    const rel = path.join(
      entry.bundle.service,
      bundleRelativePath(entry.bundle),
    );
    const outfile = path.join(outDir, rel);
    const result = await build({
      ...bundleBuildOptions(entry, { outfile, minify }),
      metafile: true,
    });
    inputs.push(...ownInputs(result.metafile.inputs, process.cwd()));
    const content = fs.readFileSync(outfile);
    bundles.push({
      ...entry.bundle,
      path: rel.split(path.sep).join('/'),
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  }
  const manifest: BundleManifest = {
    esbuild: version,
    minify,
    bundles,
    sources: bundleSources([...inputs, ...ENTRY_GENERATORS], KIT_PACKAGE_DIR),
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}
