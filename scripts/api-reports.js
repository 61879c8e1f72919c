#!/usr/bin/env node
/*
 * API reports of the published packages (plugins/*, not private): each package's report.api.md (and
 * report-alpha.api.md for an /alpha entry point) records its public API as API Extractor sees it.
 *
 *   npm run build:api-reports          # node scripts/api-reports.js: rewrite the reports; commit them
 *   node scripts/api-reports.js --ci   # npm test: fails when a report differs from the code
 *
 * The reports are read from declarations, so the root `tsc` first emits them to dist-types/.
 *
 * --ci does not use API Extractor's own comparison: the order in which it prints the members of an inferred union
 * ('a' | 'b') or the properties of an inferred object type follows the order the compiler met the files in, which
 * differs from one checkout to the next (directory listing order). The check regenerates the reports, compares them
 * with the committed ones with such runs put in order (neither is an API change), and puts the committed files back.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
if (args.some(a => a !== '--ci')) {
  process.stderr.write('usage: node scripts/api-reports.js [--ci]\n');
  process.exit(2);
}

const published = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(name => path.join('plugins', name))
  .filter(dir => {
    const file = path.join(root, dir, 'package.json');
    return (
      fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, 'utf8')).private
    );
  });

const ci = args.includes('--ci');

function run(cmd) {
  console.log(`> ${cmd.join(' ')}`);
  const { status } = spawnSync('npx', cmd, { cwd: root, stdio: 'inherit' });
  if (status === 0) return;
  if (ci) {
    console.log(
      '\nAPI reports: after an intended API change run `npm run build:api-reports` and commit the report*.api.md files.',
    );
  }
  process.exit(status ?? 1);
}

run(['tsc', '-p', 'tsconfig.json']);
// The packages use no TSDoc release tags (all of index is public, /alpha is alpha by its entry point) and document
// what needs it, not every member. ae-wrong-input-file-type: a sibling workspace package's types are its src/*.ts
// (package.json "types"), reported with the checkout's absolute path. Other API Extractor warnings (a type used but
// not exported) stay in the reports.
const reportFiles = () =>
  published.flatMap(dir =>
    fs
      .readdirSync(path.join(root, dir))
      .filter(f => /^report.*\.api\.md$/.test(f))
      .map(f => path.join(root, dir, f)),
  );
const committed = new Map(
  reportFiles().map(file => [file, fs.readFileSync(file, 'utf8')]),
);

run([
  'backstage-repo-tools',
  'api-reports',
  '--omit-messages',
  'ae-missing-release-tag,ae-undocumented,ae-wrong-input-file-type',
  '--allow-all-warnings',
  ...published,
]);

if (ci) {
  const differing = [];
  for (const file of new Set([...committed.keys(), ...reportFiles()])) {
    const generated = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8')
      : undefined;
    const before = committed.get(file);
    if (
      before === undefined ||
      generated === undefined ||
      normalize(before) !== normalize(generated)
    )
      differing.push(path.relative(root, file));
    // The check leaves the checkout as it found it.
    if (before === undefined) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, before);
  }
  if (differing.length > 0) {
    console.log(
      `\nAPI reports differ from the code: ${differing.join(
        ', ',
      )}.\nAfter an intended API change run \`npm run build:api-reports\` and commit the report*.api.md files.`,
    );
    process.exit(1);
  }
  console.log('API reports match the code.');
}

/** Puts the runs whose order the compiler decides (union members, single-line properties) in one order. */
function normalize(text) {
  const lines = text
    .split('\n')
    .map(line =>
      line.replace(/'[^']*'(?: \| '[^']*')+/g, union =>
        union.split(' | ').sort().join(' | '),
      ),
    );
  const out = [];
  let run_ = [];
  let kind = '';
  const flush = () => {
    out.push(...run_.sort());
    run_ = [];
  };
  for (const line of lines) {
    const unionMember = /^\s*\| /.test(line);
    const property = /^\s+[\w$]+\??: [^{(]*;$/.test(line);
    const lineKind = unionMember
      ? `u${line.search(/\S/)}`
      : property
      ? `p${line.search(/\S/)}`
      : '';
    if (lineKind !== kind) flush();
    kind = lineKind;
    if (lineKind) run_.push(line.replace(/[;,]?$/, ''));
    else out.push(line);
  }
  flush();
  return out.join('\n');
}
