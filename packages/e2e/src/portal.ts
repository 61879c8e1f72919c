/*
 * Starts the demo portal exactly as the README says (`npm start` at the repository root: app on :3000,
 * backend on :7007) and stops the whole process group afterwards.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// Test code that always runs from source, never from a production bundle.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../..');
export const APP_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';
/** Static token the portal accepts for scripted access (app-config.yaml, OPEN_AMT_PORTAL_TOKEN). */
export const PORTAL_TOKEN = 'e2e-portal-token-0123456789abcdef';

export interface RunningPortal {
  log(): string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startPortal(
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<RunningPortal> {
  if (
    (await answers(`${BACKEND_URL}/api/open-amt/health`)) ||
    (await answers(APP_URL))
  ) {
    throw new Error(
      'Something already listens on :3000 or :7007; stop it before running the browser tests',
    );
  }
  const output: string[] = [];
  // A newcomer's shell has no NODE_ENV; jest's `test` would make the app's browserslist lookup fail.
  const { NODE_ENV: _jestNodeEnv, ...shellEnv } = process.env;
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: {
      ...shellEnv,
      OPEN_AMT_PORTAL_TOKEN: PORTAL_TOKEN,
      BROWSER: 'none',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() ends app, backend and their watchers together
  });
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  const log = () => output.join('').slice(-30_000);
  const exited = new Promise<void>(resolve =>
    child.on('exit', () => resolve()),
  );
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  // npm exits before its grandchildren (the backend under backstage-cli): wait for the whole group.
  const stop = async () => {
    if (!child.pid || !groupAlive()) return;
    process.kill(-child.pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (groupAlive() && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 250));
    if (groupAlive()) process.kill(-child.pid, 'SIGKILL');
    await exited;
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `npm start exited with ${child.exitCode}; log:\n${log()}`,
      );
    if (
      (await answers(`${BACKEND_URL}/api/open-amt/health`)) &&
      (await answers(APP_URL))
    )
      return { log, stop };
    await new Promise(r => setTimeout(r, 1000));
  }
  await stop();
  throw new Error(
    `portal did not come up within ${timeoutMs / 1000} s; log:\n${log()}`,
  );
}

/** Runs a template through the portal's scaffolder REST API (as automation does) and waits until it settles. */
export async function runTemplateTask(body: {
  templateRef: string;
  values: unknown;
  secrets: unknown;
}): Promise<{ id: string; status: string; log: string }> {
  const headers = {
    Authorization: `Bearer ${PORTAL_TOKEN}`,
    'Content-Type': 'application/json',
  };
  const created = await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (created.status !== 201)
    throw new Error(
      `task not created: ${created.status} ${await created.text()}`,
    );
  const { id } = await created.json();
  const deadline = Date.now() + 240_000;
  for (;;) {
    const task = await (
      await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks/${id}`, { headers })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) {
      const events: any[] = await (
        await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks/${id}/events`, {
          headers,
        })
      ).json();
      return {
        id,
        status: task.status,
        log: events.map(e => e.body?.message ?? '').join('\n'),
      };
    }
    if (Date.now() > deadline)
      throw new Error(`task ${id} still ${task.status}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}
