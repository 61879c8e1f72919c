#!/usr/bin/env node
/*
 * API reports of the published packages (plugins/*, not private): each package's report.api.md (and
 * report-alpha.api.md for an /alpha entry point) records its public API as API Extractor sees it.
 *
 *   npm run build:api-reports          # node scripts/api-reports.js: rewrite the reports; commit them
 *   node scripts/api-reports.js --ci   # npm test: fails when a report differs from the code
 *
 * The reports are read from declarations, so the root `tsc` first emits them to dist-types/.
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

function run(cmd) {
  console.log(`> ${cmd.join(' ')}`);
  const { status } = spawnSync('npx', cmd, { cwd: root, stdio: 'inherit' });
  if (status === 0) return;
  if (args.includes('--ci')) {
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
run([
  'backstage-repo-tools',
  'api-reports',
  ...args,
  '--omit-messages',
  'ae-missing-release-tag,ae-undocumented,ae-wrong-input-file-type',
  '--allow-all-warnings',
  ...published,
]);
