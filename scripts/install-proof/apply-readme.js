#!/usr/bin/env node
/*
 * Applies the README's install section to an app, in the README's order, so that section is tested text:
 *
 *   node scripts/install-proof/apply-readme.js --readme README.md --app <app dir>
 *
 * A fenced block counts when the HTML comment just above it says what to do with it:
 *   <!-- install-proof: run -->                      every line runs in the app's root (bash, stops at the first error)
 *   <!-- install-proof: <file> before <line> -->     the block goes into <file> just above the line that reads <line>
 *   <!-- install-proof: <file> features -->          the block's imports go after <file>'s imports, the entries of its
 *                                                    `features: [...]` into the file's own `features: [` list
 * Fails when a marked block cannot be applied, or when the README has none of a kind the proof needs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function fail(message) {
  process.stderr.write(`apply-readme: ${message}\n`);
  process.exit(1);
}

function arg(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || !process.argv[at + 1]) {
    fail('usage: apply-readme.js --readme <README.md> --app <app dir>');
  }
  return path.resolve(process.argv[at + 1]);
}

/** The marked blocks: { directive, code }, in the README's order. */
function markedBlocks(markdown) {
  const pattern =
    /<!--\s*install-proof:\s*(.+?)\s*-->\s*\n\s*```[a-z]*\n([\s\S]*?)\n```/g;
  return [...markdown.matchAll(pattern)].map(m => ({
    directive: m[1],
    code: m[2],
  }));
}

function runLines(code, appDir) {
  for (const line of code.split('\n').filter(l => l.trim())) {
    process.stderr.write(`apply-readme: $ ${line}\n`);
    const { status } = spawnSync('bash', ['-euo', 'pipefail', '-c', line], {
      cwd: appDir,
      stdio: 'inherit',
    });
    if (status !== 0) fail(`"${line}" failed (exit ${status})`);
  }
}

function readTarget(appDir, file) {
  const target = path.join(appDir, file);
  if (!fs.existsSync(target)) fail(`${file} does not exist in the app`);
  return { target, text: fs.readFileSync(target, 'utf8') };
}

function insertBefore(appDir, file, anchor, code) {
  const { target, text } = readTarget(appDir, file);
  const lines = text.split('\n');
  const at = lines.findIndex(l => l.trim() === anchor);
  if (at < 0) fail(`${file} has no line "${anchor}"`);
  lines.splice(at, 0, ...code.split('\n'), '');
  fs.writeFileSync(target, lines.join('\n'));
  process.stderr.write(`apply-readme: ${file}: added above "${anchor}"\n`);
}

function addFeatures(appDir, file, code) {
  const { target, text } = readTarget(appDir, file);
  const imports = code.split('\n').filter(l => /^import\s/.test(l));
  const list = code.match(/features:\s*\[([\s\S]*?)\]/);
  if (imports.length === 0 || !list) {
    fail(`the README's block for ${file} needs imports and a features list`);
  }
  const entries = list[1]
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('//'))
    .join(' ');
  const lines = text.split('\n');
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^import\s/.test(l) || (lastImport === i - 1 && /from\s/.test(l))) {
      lastImport = i;
    }
  });
  lines.splice(lastImport + 1, 0, ...imports);
  const withImports = lines.join('\n');
  const features = withImports.match(/features:\s*\[/g) ?? [];
  if (features.length !== 1) {
    fail(
      `${file} must have exactly one "features: [" (has ${features.length})`,
    );
  }
  fs.writeFileSync(
    target,
    withImports.replace(/features:\s*\[/, m => `${m}${entries} `),
  );
  process.stderr.write(`apply-readme: ${file}: features += ${entries}\n`);
}

function main() {
  const readme = arg('--readme');
  const appDir = arg('--app');
  const blocks = markedBlocks(fs.readFileSync(readme, 'utf8'));
  const kinds = new Set();
  for (const { directive, code } of blocks) {
    const before = directive.match(/^(\S+)\s+before\s+(.+)$/);
    const features = directive.match(/^(\S+)\s+features$/);
    if (directive === 'run') {
      runLines(code, appDir);
      kinds.add('run');
    } else if (before) {
      insertBefore(appDir, before[1], before[2], code);
      kinds.add('backend');
    } else if (features) {
      addFeatures(appDir, features[1], code);
      kinds.add('frontend');
    } else {
      fail(`unknown directive "install-proof: ${directive}"`);
    }
  }
  for (const kind of ['run', 'backend', 'frontend']) {
    if (!kinds.has(kind)) fail(`the README has no install-proof ${kind} block`);
  }
}

main();
