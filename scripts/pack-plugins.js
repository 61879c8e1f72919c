#!/usr/bin/env node
/*
 * Builds every published plugin package (plugins/*, not private) and packs it as npm would publish it:
 *
 *   node scripts/pack-plugins.js --out <dir>
 *
 * Declarations first (root `tsc`, emitting to dist-types/), then each package's `build` script (the provider kit's
 * also builds its bundles), then `npm pack`, whose prepack/postpack scripts (`backstage-cli package prepack`)
 * point main/types/exports at dist/ and compile config.d.ts to config.schema.json. Prints one tarball path a line.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function fail(message) {
  process.stderr.write(`pack-plugins: ${message}\n`);
  process.exit(1);
}

function parseOut(args) {
  const at = args.indexOf('--out');
  if (at < 0 || !args[at + 1] || args.length !== 2) {
    fail('usage: node scripts/pack-plugins.js --out <dir>');
  }
  return path.resolve(args[at + 1]);
}

/** Runs a command with its output on stderr, so stdout holds only the tarball paths. */
function run(cmd, args, cwd) {
  const { status } = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (status !== 0) fail(`${cmd} ${args.join(' ')} failed in ${cwd}`);
}

function publishedPlugins() {
  const dir = path.join(root, 'plugins');
  return fs
    .readdirSync(dir)
    .map(name => path.join(dir, name))
    .filter(pkgDir => fs.existsSync(path.join(pkgDir, 'package.json')))
    .filter(pkgDir => {
      const pkg = JSON.parse(
        fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
      );
      return !pkg.private;
    });
}

function main() {
  const outDir = parseOut(process.argv.slice(2));
  fs.mkdirSync(outDir, { recursive: true });
  const plugins = publishedPlugins();

  run('npx', ['tsc', '-p', 'tsconfig.json'], root);
  for (const pkgDir of plugins) run('npm', ['run', 'build'], pkgDir);

  for (const pkgDir of plugins) {
    const { status, stdout } = spawnSync(
      'npm',
      ['pack', '--json', '--pack-destination', outDir],
      { cwd: pkgDir, stdio: ['ignore', 'pipe', process.stderr] },
    );
    if (status !== 0) fail(`npm pack failed in ${pkgDir}`);
    // npm prints the prepack script's output before the JSON array.
    const text = stdout.toString();
    const [{ filename }] = JSON.parse(text.slice(text.search(/^\[/m)));
    process.stdout.write(`${path.join(outDir, filename)}\n`);
  }
}

main();
