/**
 * One long-lived bash per test process that runs each runbook in a subshell: forking a small bash that has the
 * stand-ins defined already costs far less than spawning bash from a large node process and sourcing them again,
 * and the benchmark runs 720 runbooks. Requests and answers go through two FIFOs, read and written synchronously
 * (the rules are synchronous). If the server cannot be used, runInBash spawns a bash per run instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

/** Opens its FIFOs first (node's blocking opens pair with them), then serves `<script path>` lines in subshells. */
const SERVER = [
  'exec 4>"$RUNBOOK_RESP" 3<"$RUNBOOK_REQ"',
  'source "$RUNBOOK_STANDINS"',
  'while IFS= read -r job <&3; do',
  '  ( exec 3<&- 4>&-; source "$job" ) >"$job.out" 2>"$job.err" </dev/null',
  '  printf \'%s\\n\' "$?" >&4',
  'done',
  // node closed its end (it exited, however it exited): the FIFOs' folder goes with the server.
  'rm -rf "$RUNBOOK_DIR"',
].join('\n');

let server: { req: number; resp: number } | undefined;
let unavailable = false;

function startServer(tmp: string, standins: string) {
  const dir = fs.mkdtempSync(path.join(tmp, 'runbook-server-'));
  const req = path.join(dir, 'req');
  const resp = path.join(dir, 'resp');
  if (spawnSync('mkfifo', [req, resp]).status !== 0) return undefined;
  const child = spawn('bash', ['--noprofile', '--norc', '-c', SERVER], {
    stdio: 'ignore',
    env: {
      ...ENV,
      RUNBOOK_DIR: dir,
      RUNBOOK_REQ: req,
      RUNBOOK_RESP: resp,
      RUNBOOK_STANDINS: standins,
    },
  });
  child.unref();
  const started = {
    resp: fs.openSync(resp, 'r'),
    req: fs.openSync(req, 'w'),
  };
  process.once('exit', () => fs.closeSync(started.req));
  return started;
}

/** A script handed to the server and not yet answered: at most one at a time (the FIFOs carry one answer each). */
let pending: string | undefined;

/** Reads the server's answer to the pending script (blocking) and returns its stderr. */
function collect(script: string): { stderr: string } {
  const buf = Buffer.alloc(64);
  let answer = '';
  while (!answer.endsWith('\n')) {
    const n = fs.readSync(server!.resp, buf, 0, buf.length, null);
    if (n === 0) throw new Error('the runbook bash server ended');
    answer += buf.toString('utf8', 0, n);
  }
  pending = undefined;
  return { stderr: fs.readFileSync(`${script}.err`, 'utf8') };
}

/**
 * Hands a bash script (a file) to the server without waiting: bash runs it on the other core while the caller does
 * other work; `runInBash` with the same script then waits for it. False when there is no server (run it then).
 */
export function submitToBash(
  script: string,
  tmp: string,
  standins: string,
): boolean {
  if (!server && !unavailable) {
    server = startServer(tmp, standins);
    unavailable = !server;
  }
  if (!server || pending) return false;
  fs.writeSync(server.req, `${script}\n`);
  pending = script;
  return true;
}

/** Runs a bash script (a file) and returns its stderr; through the server when it is up (waiting for a submitted one). */
export function runInBash(
  script: string,
  tmp: string,
  standins: string,
): { stderr: string } {
  if (pending === script) return collect(script);
  if (pending)
    throw new Error(
      `runbook bash server: ${pending} was submitted and never collected`,
    );
  if (submitToBash(script, tmp, standins)) return collect(script);
  const result = spawnSync(
    'bash',
    ['--noprofile', '--norc', '-c', `source "$1"`, 'runbook', script],
    { encoding: 'utf8', env: { ...ENV, RUNBOOK_STANDINS: standins } },
  );
  return { stderr: `${result.stderr ?? ''}${result.error ?? ''}` };
}
