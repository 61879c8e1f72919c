#!/usr/bin/env node
/*
 * `npm test`: every package's tests, the strict type check and lint, in that order; fails if any fails.
 * Kept as a script (not `a && b && c`) so every step runs and the summary shows all failures at once.
 */
const { spawnSync } = require('node:child_process');

const steps = [
  ['tests', 'npx', ['backstage-cli', 'repo', 'test', '--ci']],
  ['tsc (strict)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['backstage-cli', 'repo', 'lint']],
];

const results = steps.map(([name, cmd, args]) => {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  // CI=true: backstage-cli otherwise starts jest in watch mode and never returns.
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  return { name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
});

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
const failed = results.filter(r => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
