#!/usr/bin/env node
/*
 * `npm start`: the portal's backend (:7007) and app (:3000), each in its own `backstage-cli package start`.
 * `backstage-cli repo start` runs both in one process; there, the app's rspack compile can block the event
 * loop long enough for the backend's dev-mode IPC (the in-memory SQLite store) to time out on a busy
 * 2-core machine, and the backend then refuses to start. Separate processes avoid that.
 * Extra arguments go to the backend, e.g. `npm start -- --config ../../app-config.production.yaml`.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const backendArgs = process.argv.slice(2);
const children = [
  ['backend', 'packages/backend', backendArgs],
  ['app', 'packages/app', []],
].map(([name, dir, extra]) => {
  const child = spawn('npx', ['backstage-cli', 'package', 'start', ...extra], {
    cwd: path.join(root, dir),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', code => {
    console.log(`[start] ${name} exited with ${code}`);
    shutdown(code ?? 1);
  });
  return child;
});

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children)
    if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
