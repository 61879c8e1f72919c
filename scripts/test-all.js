#!/usr/bin/env node
/*
 * `npm test`: every package's tests, the browser tests against the portal, the strict type check, the published
 * packages' API reports, lint and formatting; fails if any fails. Every step runs, so the summary shows all failures
 * at once. The last line counts the tests jest ran: `tests: N passed, N failed`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'open-amt-tests-'));
const jestReport = name => [
  '--json',
  `--outputFile=${path.join(reports, `${name}.json`)}`,
];

const steps = [
  // Unit, integration and contract tests of every package (jest projects, in parallel).
  {
    name: 'tests',
    cwd: root,
    cmd: ['backstage-cli', 'repo', 'test', '--ci', ...jestReport('tests')],
  },
  // Real-browser tests start the portal on :3000/:7007 themselves, so they run on their own, one at a time.
  {
    name: 'browser tests',
    cwd: path.join(root, 'packages/e2e'),
    cmd: [
      'backstage-cli',
      'package',
      'test',
      '--ci',
      '--runInBand',
      ...jestReport('browser'),
    ],
  },
  {
    name: 'tsc (strict)',
    cwd: root,
    cmd: ['tsc', '--noEmit', '-p', 'tsconfig.json'],
  },
  // The published packages' API reports (report*.api.md) must match their exports; the step emits dist-types first.
  // After an intended API change: `npm run build:api-reports`, then commit the reports.
  {
    name: 'api reports',
    cwd: root,
    cmd: ['node', 'scripts/api-reports.js', '--ci'],
  },
  { name: 'lint', cwd: root, cmd: ['backstage-cli', 'repo', 'lint'] },
  // Formatting is the Backstage prettier config (package.json "prettier"); fix with `npx prettier --write .`.
  { name: 'format', cwd: root, cmd: ['prettier', '--check', '.'] },
];

const results = steps.map(({ name, cwd, cmd }) => {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd.join(' ')}`);
  // CI=true: backstage-cli otherwise starts jest in watch mode and never returns.
  const { status } = spawnSync('npx', cmd, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  return {
    name,
    ok: status === 0,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
  };
});

let passed = 0;
let failed = 0;
for (const file of fs.readdirSync(reports)) {
  const report = JSON.parse(fs.readFileSync(path.join(reports, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}

console.log('\n=== summary');
for (const r of results)
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
const failedSteps = results.filter(r => !r.ok).length;
if (passed === 0) console.log('no test ran: that is a failure');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps === 0 && failed === 0 && passed > 0 ? 0 : 1);
