/**
 * Runs a rendered deployment's runbook as an operator would: README.md's steps in order, their `sh` blocks verbatim
 * in one real bash (scripts run for real: resolve-secrets.sh, bootstrap.sh), against the recording stand-ins of
 * standins.sh. What the operator brings (`# you provide:`) is seeded at that step; the portal actions a step names
 * run as their store writes and reads (names from the open-amt-node adapter, values from the provision action's
 * generator). One bash process per run, in a tmpfs folder removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSecretRef } from '@open-amt-backstage/plugin-open-amt-node';
import { secretStoreRendererOf } from '../../../render/providers';
import { kitBundleFiles } from '../../../render/kitImages';
import { secretEntryName } from '../../../secrets/entries';
import {
  generateEntry,
  PROVISIONED_KINDS,
  ProvisionedKind,
} from '../../../secrets/provision';
import type { RenderedOutput } from '../output';
import { ParsedStep, parseRunbookSteps } from './steps';
import { runInBash, submitToBash } from './bashServer';
import { startRequirements } from './startRequirements';

const STANDINS = path.join(__dirname, 'standins.sh');
const TMP_ROOT = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/** Who runs the steps: the harness's own uid by default (root here), with the umask an operator's shell has. */
export interface Operator {
  uid?: number;
  gid?: number;
  umask: string;
}

/** Test-only knobs: the real jq instead of its model, and a look at the repository before it is removed. */
export interface RunOptions {
  realJq?: boolean;
  inspect?(repo: string, run: RunbookRun): void;
}

export interface MountedPath {
  service: string;
  path: string;
  uid: number;
  gid: number;
  mode: number;
  type: 'f' | 'd' | string;
}

export interface RunbookRun {
  steps: ParsedStep[];
  /** Every step ran and every command succeeded. */
  completed: boolean;
  /** The step whose commands failed (the run stops there, as `set -e` would), with what was printed on stderr. */
  failed?: { step: number; stderr: string };
  /** Store key (`vault:<mount>/<path>`, `azure:<vault>/<name>`, `aws:<region>/<name>`) → steps that wrote it. */
  writes: Map<string, number[]>;
  /** Store keys read, and keys read while absent, with the step. */
  reads: Array<{ key: string; step: number }>;
  misses: Array<{ key: string; step: number }>;
  /** What the store held when `kubectl apply -k` ran (External Secrets reads from then on). */
  appliedWith?: Set<string>;
  /** Every path a compose service bind-mounts, as `docker-compose up` found it. */
  mounts: MountedPath[];
  /** CLI calls the stand-ins do not model. */
  unmodelled: string[];
  /** Images `docker push` pushed, in order. */
  pushed: string[];
  /** What the store holds once the run ends: key → the entry's fields (a value that is not a JSON object: {}). */
  stored: Map<string, Record<string, unknown>>;
}

/** The stand-ins' key of a store reference (ref syntax and naming are the open-amt-node adapter's). */
export function storeKeyOfRef(ref: string): string {
  const parsed = parseSecretRef(ref);
  switch (parsed.provider) {
    case 'vault':
      return `vault:${parsed.mount}/${
        parsed.pathPrefix ? `${parsed.pathPrefix}/` : ''
      }${parsed.name}`;
    case 'azure-key-vault':
      return `azure:${new URL(parsed.vaultUrl).hostname.split('.')[0]}/${
        parsed.secretName
      }`;
    case 'aws-kms':
      return `aws:${parsed.region}/${parsed.secretName}`;
    default:
      throw new Error(`unknown store reference ${ref}`);
  }
}

/** The key the portal's actions use for one of the deployment's entries. */
function portalKey(out: RenderedOutput, kind: ProvisionedKind): string {
  const adapter = secretStoreRendererOf(out.spec).adapter;
  return storeKeyOfRef(
    adapter.refFor(out.spec.secrets, secretEntryName(out.spec, kind)),
  );
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** open-amt:secrets:provision writes the generated entries; open-amt:database:init reads the database logins back. */
function portalAction(out: RenderedOutput, action: string): string[] {
  if (action === 'open-amt:secrets:provision') {
    const current: Partial<Record<ProvisionedKind, Record<string, string>>> =
      {};
    return PROVISIONED_KINDS.map(kind => {
      current[kind] = generateEntry(out.spec, kind, current);
      return `_si_put ${quote(portalKey(out, kind))} ${quote(
        JSON.stringify(current[kind]),
      )}`;
    });
  }
  if (action === 'open-amt:database:init') {
    return (['db-mps', 'db-rps'] as const).map(
      kind =>
        `_si_get ${quote(
          portalKey(out, kind),
        )} || { echo "open-amt:database:init: cannot read ${secretEntryName(
          out.spec,
          kind,
        )} from the secrets store" >&2; false; }`,
    );
  }
  return [];
}

/** What docker-compose up reads: env files, bind-mount sources inside the repository, and what services need at start. */
function composeInputs(out: RenderedOutput): string {
  const services = out.composeServices() ?? {};
  const lines: string[] = [];
  for (const [name, service] of Object.entries<any>(services)) {
    for (const f of [service.env_file ?? []].flat())
      lines.push(`envfile ${name} ${typeof f === 'string' ? f : f.path}`);
    for (const v of service.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (typeof source === 'string' && /^\.{0,2}\//.test(source))
        lines.push(`mount ${name} ${source.replace(/^\.\//, '')}`);
    }
  }
  for (const need of startRequirements(out))
    lines.push(`needs ${need.service} ${need.key}`);
  // Images the repository builds (images/<service>/Dockerfile) come from the registry the build step pushes to.
  for (const [name, service] of Object.entries<any>(services))
    if (out.file(`images/${name}/Dockerfile`))
      lines.push(`pulls ${name} ${service.image}`);
  return `${lines.join('\n')}\n`;
}

function driver(
  out: RenderedOutput,
  steps: ParsedStep[],
  standin: string,
  umask: string,
): string {
  const lines = [
    'set -eo pipefail',
    // The bash server has them already.
    `declare -F _si_log >/dev/null || source ${quote(STANDINS)}`,
    `export STANDIN=${quote(standin)}`,
    `cd ${quote(path.join(standin, '..', 'repo'))}`,
    `umask ${umask}`,
  ];
  for (const step of steps) {
    lines.push(`printf 'step %s\\n' ${step.number} >>"$STANDIN/log"`);
    for (const p of step.provides) {
      if (p.file) {
        const file = path.join(standin, 'provided', `${p.variable}.pem`);
        lines.push(
          `printf -- '-----BEGIN STANDIN %s-----\\nMIIB%s\\n-----END STANDIN %s-----\\n' ${
            p.variable
          } ${p.variable} ${p.variable} > ${quote(file)}`,
          `export ${p.variable}=${quote(file)}`,
        );
      } else lines.push(`export ${p.variable}=standin-${p.variable}`);
    }
    for (const action of step.actions) lines.push(...portalAction(out, action));
    lines.push(...step.commands);
  }
  lines.push(`printf 'completed\\n' >>"$STANDIN/log"`);
  return lines.join('\n');
}

function parseLog(
  log: string,
  steps: ParsedStep[],
  stderr: string,
): RunbookRun {
  const run: RunbookRun = {
    steps,
    completed: false,
    writes: new Map(),
    reads: [],
    misses: [],
    mounts: [],
    unmodelled: [],
    pushed: [],
    stored: new Map(),
  };
  let step = 0;
  let applied: Set<string> | undefined;
  for (const line of log.split('\n')) {
    const [verb, ...rest] = line.split(' ');
    const arg = rest.join(' ');
    switch (verb) {
      case 'step':
        step = Number(arg);
        break;
      case 'write':
        run.writes.set(arg, [...(run.writes.get(arg) ?? []), step]);
        break;
      case 'read':
        run.reads.push({ key: arg, step });
        break;
      case 'miss':
        run.misses.push({ key: arg, step });
        break;
      case 'applied-with':
        (applied ??= new Set()).add(arg.replace(/%/g, '/'));
        break;
      case 'kubectl-apply':
        run.appliedWith = applied ?? new Set();
        applied = undefined;
        break;
      case 'mounted': {
        const [service, p, uid, gid, mode, type] = rest;
        run.mounts.push({
          service,
          path: p,
          uid: Number(uid),
          gid: Number(gid),
          mode: parseInt(mode, 8),
          type,
        });
        break;
      }
      case 'unmodelled':
        run.unmodelled.push(arg);
        break;
      case 'docker-push':
        run.pushed.push(arg);
        break;
      case 'completed':
        run.completed = true;
        break;
      default:
    }
  }
  if (!run.completed) run.failed = { step, stderr: stderr.trim() };
  return run;
}

const cache = new WeakMap<RenderedOutput, RunbookRun>();

/** A run laid out on disk: the repository, the stand-ins' state and the driver script. */
interface Prepared {
  dir: string;
  repo: string;
  standin: string;
  steps: ParsedStep[];
  script: string;
}

function prepare(
  out: RenderedOutput,
  operator: Operator,
  options: RunOptions,
): Prepared {
  const steps = parseRunbookSteps(out.file('README.md') ?? '');
  const dir = fs.mkdtempSync(path.join(TMP_ROOT, 'runbook-'));
  const repo = path.join(dir, 'repo');
  const standin = path.join(dir, '.standin');
  for (const sub of [
    'store',
    'mounts',
    'auth',
    'azure-vaults',
    'provided',
    'images',
    'logins',
    'pushed',
  ])
    fs.mkdirSync(path.join(standin, sub), { recursive: true });
  for (const f of out.files) {
    const target = path.join(repo, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, {
      mode: f.path.endsWith('.sh') ? 0o755 : 0o644,
    });
  }
  // The kit's bundles, as the render action adds them beside the Dockerfiles (stand-ins: their content is not read).
  for (const b of kitBundleFiles(out.spec)) {
    const target = path.join(repo, b.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(
      target,
      `// stand-in of the kit's ${b.service} ${b.kind} provider ${b.name}\n`,
    );
  }
  fs.writeFileSync(path.join(standin, 'log'), '');
  fs.writeFileSync(path.join(standin, 'compose-inputs'), composeInputs(out));
  const script = driver(out, steps, standin, operator.umask).replace(
    /^(declare -F _si_log .*)$/m,
    options.realJq ? '$1\nunset -f jq' : '$1',
  );
  return { dir, repo, standin, steps, script };
}

/** The driver file the bash server runs for the default operator. */
const driverFile = (p: Prepared) => path.join(p.standin, 'driver.sh');

function finish(p: Prepared, stderr: string, options: RunOptions): RunbookRun {
  try {
    const run = parseLog(
      fs.readFileSync(path.join(p.standin, 'log'), 'utf8'),
      p.steps,
      stderr,
    );
    run.stored = readStore(path.join(p.standin, 'store'));
    options.inspect?.(p.repo, run);
    return run;
  } finally {
    fs.rmSync(p.dir, { recursive: true, force: true });
  }
}

/** The default operator's run handed to the bash server and not yet collected (one at a time). */
let inFlight: { out: RenderedOutput; prepared: Prepared } | undefined;

function collectInFlight(): void {
  const { out, prepared } = inFlight!;
  inFlight = undefined;
  const { stderr } = runInBash(driverFile(prepared), TMP_ROOT, STANDINS);
  cache.set(out, finish(prepared, stderr, {}));
}

/**
 * Starts the default operator's run without waiting for it, so bash works on the other core while the caller
 * validates and checks the other rules; `runRunbook` then collects it. A no-op when it already ran or started.
 */
export function startRunbook(out: RenderedOutput): void {
  if (cache.has(out) || inFlight?.out === out) return;
  if (inFlight) collectInFlight();
  const prepared = prepare(out, { umask: '022' }, {});
  fs.writeFileSync(driverFile(prepared), prepared.script);
  if (submitToBash(driverFile(prepared), TMP_ROOT, STANDINS))
    inFlight = { out, prepared };
  else fs.rmSync(prepared.dir, { recursive: true, force: true });
}

/** Runs the runbook of a rendered output (cached per output for the default operator). */
export function runRunbook(
  out: RenderedOutput,
  operator: Operator = { umask: '022' },
  options: RunOptions = {},
): RunbookRun {
  const isDefault =
    operator.uid === undefined &&
    operator.umask === '022' &&
    !options.realJq &&
    !options.inspect;
  // A started run is collected first, whichever output it belongs to (the server answers in order).
  if (inFlight) collectInFlight();
  const cached = isDefault ? cache.get(out) : undefined;
  if (cached) return cached;
  const prepared = prepare(out, operator, options);
  let stderr: string;
  try {
    stderr = runAs(prepared, operator);
  } catch (error) {
    fs.rmSync(prepared.dir, { recursive: true, force: true });
    throw error;
  }
  const run = finish(prepared, stderr, options);
  if (isDefault) cache.set(out, run);
  return run;
}

/** Runs the driver as the operator: through the bash server as this process's user, else a bash under setpriv. */
function runAs(prepared: Prepared, operator: Operator): string {
  let stderr: string;
  if (operator.uid === undefined) {
    fs.writeFileSync(driverFile(prepared), prepared.script);
    stderr = runInBash(driverFile(prepared), TMP_ROOT, STANDINS).stderr;
  } else {
    const gid = operator.gid ?? operator.uid;
    chownTree(prepared.dir, operator.uid, gid);
    const result = spawnSync(
      'setpriv',
      [
        '--reuid',
        String(operator.uid),
        '--regid',
        String(gid),
        '--clear-groups',
        'bash',
        '--noprofile',
        '--norc',
        '-c',
        prepared.script,
      ],
      {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: prepared.dir, LANG: 'C.UTF-8' },
      },
    );
    stderr = `${result.stderr ?? ''}${result.error ?? ''}`;
  }
  return stderr;
}

function readStore(dir: string): Map<string, Record<string, unknown>> {
  const stored = new Map<string, Record<string, unknown>>();
  for (const name of fs.readdirSync(dir)) {
    let fields: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (parsed && typeof parsed === 'object') fields = parsed;
    } catch {
      // not JSON: an entry without fields
    }
    stored.set(name.replace(/%/g, '/'), fields);
  }
  return stored;
}

function chownTree(dir: string, uid: number, gid: number) {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}
