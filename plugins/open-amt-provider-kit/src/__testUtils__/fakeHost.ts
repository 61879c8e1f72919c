import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleRelativePath, KitBundle, KitService } from '../bundles';

/**
 * A test double of an upstream service's dist/ tree: the host modules a provider reaches (Environment, the error
 * class, constants, logging) at the paths HOST_MODULES names, shaped from the upstream sources of both supported
 * tags (exports and constructor signatures; texts are ours), the two factories, and a driver. A bundle copied to
 * dist/<kind>/<name>/index.js is loaded the way the factories load it: a dynamic import of
 * `../<kind>/<name>/index.js` from dist/factories/, then `new Provider(connectionString | logger)`.
 * It runs in a child `node` (ESM, no jest module registry in between).
 */
export interface FakeHost {
  service: KitService;
  dir: string;
  /** Copies a built bundle where the factory imports it. */
  install(bundle: KitBundle, builtFile: string): void;
  /**
   * Loads the provider through the factory and runs `scenario` (an async function body with `provider`, `host`
   * in scope; `host.HostError` is the host's error class, `host.log` what the provider logged) in the child.
   */
  run(options: {
    bundle: KitBundle;
    /** Data: the connection string. Secrets: ignored (the driver passes the host's logger). */
    arg?: string;
    /** Environment.Config of the host. */
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    /** Host names the child resolves to 127.0.0.1 (stand-ins addressed by real-looking names). */
    loopbackHosts?: string[];
    scenario: string;
  }): Promise<DriverResult>;
  remove(): void;
}

export type DriverResult =
  | { ok: true; value: unknown; log: string[] }
  | {
      ok: false;
      error: { name: string; message: string; hostClass: boolean };
      log: string[];
    };

/** Our texts, the upstream shapes: strings stay strings, message builders stay functions (constants.ts@tags). */
const RPS_CONSTANTS = `
const text = name => (...args) => \`fake \${name}: \${args.join(' ')}\`;
export const DEFAULT_TOP = 25;
export const DEFAULT_SKIP = 0;
export const CONCURRENCY_EXCEPTION = 'Concurrency';
export const CONCURRENCY_MESSAGE = 'fake: nothing was updated';
export const API_UNEXPECTED_EXCEPTION = text('unexpected');
export const CIRA_CONFIG_DELETION_FAILED_CONSTRAINT = text('cira in use');
export const CIRA_CONFIG_INSERTION_FAILED = text('cira insert');
export const CIRA_CONFIG_INSERTION_FAILED_DUPLICATE = text('cira duplicate');
export const DUPLICATE_DOMAIN_FAILED = text('domain duplicate');
export const IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE = text('8021x in use by profile');
export const IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS = text('8021x in use by wireless');
export const IEEE8021X_INSERTION_FAILED = text('8021x insert');
export const IEEE8021X_INSERTION_FAILED_DUPLICATE = text('8021x duplicate');
export const NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT = text('network in use');
export const NETWORK_CONFIG_ERROR = text('network');
export const NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE = text('network duplicate');
export const PROFILE_INSERTION_CIRA_CONSTRAINT = text('profile cira');
export const PROFILE_INSERTION_FAILED_DUPLICATE = text('profile duplicate');
export const PROFILE_INSERTION_GENERIC_CONSTRAINT = text('profile constraint');
export const PROFILE_INSERTION_NETWORK_CONSTRAINT = text('profile network');
`;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'verbose', 'silly'];
const logMethods = (separator: string) =>
  LOG_LEVELS.map(l => `  ${l}(m, ...p) { record('${l}', m, p); }`).join(
    separator,
  );

// Read after the driver lower-cased the environment (as upstream reads its config after doing so).
const ENVIRONMENT = `export const Environment = { Config: JSON.parse(process.env.fake_host_config ?? '{}') };\n`;
const RECORD = `export const hostLog = [];
export function record(level, message, params) {
  hostLog.push(\`\${level}: \${[message, ...params.map(p => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))].join(' ')}\`);
}
`;

/** Files by path under the host root, per service. */
const HOST_FILES: Record<KitService, Record<string, string>> = {
  rps: {
    'dist/utils/Environment.js': ENVIRONMENT,
    // RPSError.ts@v2.22.14 / @v2.39.4: (message, errorName?, item?), name = errorName, item kept
    'dist/utils/RPSError.js': `export class RPSError extends Error {
  constructor(message, errorName, item) {
    super(message);
    if (errorName) this.name = errorName;
    if (item) this.item = item;
    Object.setPrototypeOf(this, RPSError.prototype);
  }
}
`,
    'dist/utils/constants.js': RPS_CONSTANTS,
    'dist/utils/hostLog.js': RECORD,
    // Logger.ts@tags: default export class, constructed with a name
    'dist/Logger.js': `import { record } from './utils/hostLog.js';
export default class Logger {
  constructor(name) { this.name = name; }
${logMethods('\n').replace(
  /record\('(\w+)', m/g,
  "record('$1', this.name + ' - ' + m",
)}
}
`,
    'dist/hostError.js': `export { RPSError as HostError } from './utils/RPSError.js';
import Logger from './Logger.js';
export const serviceLogger = new Logger('SecretManagerService');
`,
  },
  mps: {
    'dist/utils/Environment.js': ENVIRONMENT,
    // MPSValidationError.ts@v2.13.21 / @v2.34.1: (message, status?, errorName?)
    'dist/utils/MPSValidationError.js': `export class MPSValidationError extends Error {
  constructor(message, status, errorName) {
    super(message);
    this.message = message;
    this.status = status;
    this.errorName = errorName;
    if (errorName) this.name = errorName;
    Object.setPrototypeOf(this, MPSValidationError.prototype);
  }
}
`,
    'dist/utils/constants.js':
      'export const DefaultTop = 25;\nexport const DefaultSkip = 0;\n',
    'dist/utils/hostLog.js': RECORD,
    // logging/index.ts@tags: named logger (winston) and messages (an enum of texts; here each key names itself)
    'dist/logging/index.js': `import { record } from '../utils/hostLog.js';
export const logger = {
${logMethods(',\n')}
};
export const messages = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? key : undefined) });
`,
    'dist/hostError.js': `export { MPSValidationError as HostError } from './utils/MPSValidationError.js';
export { logger as serviceLogger } from './logging/index.js';
`,
  },
};

/** Both factories of both services (DbCreatorFactory.ts:13, SecretManagerCreatorFactory.ts:15 @ each tag). */
const FACTORIES = {
  'dist/factories/DbCreatorFactory.js': `export async function getDb(provider, connectionString) {
  const { default: Provider } = await import(\`../data/\${provider}/index.js\`);
  return new Provider(connectionString);
}
`,
  'dist/factories/SecretManagerCreatorFactory.js': `export async function getSecretManager(provider, logger) {
  const { default: Provider } = await import(\`../secrets/\${provider}/index.js\`);
  return new Provider(logger);
}
`,
};

/**
 * The driver: lower-cases the environment and parses its values as both services do before reading their config
 * (mps src/index.ts:35-38@v2.34.1, :28-31@v2.13.21; rps src/utils/Environment.ts:14-18@v2.22.14 and @v2.39.4), then
 * loads the provider through the factory and runs the scenario.
 */
const DRIVER = `import dns from 'node:dns';
const { kind, name, arg, scenario, loopbackHosts } = JSON.parse(process.env.FAKE_HOST_RUN);
const parse = v => (v === 'true' ? true : v === 'false' ? false : v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
process.env = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k.toLowerCase(), parse(v)]));
if (loopbackHosts.length) {
  // Test stand-ins answer on 127.0.0.1 under real-looking names (the SDKs check the domain).
  const lookup = dns.lookup;
  dns.lookup = (host, options, callback) => {
    if (!loopbackHosts.includes(host)) return lookup(host, options, callback);
    const cb = typeof options === 'function' ? options : callback;
    if (typeof options === 'object' && options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  };
}
const { getDb } = await import('./dist/factories/DbCreatorFactory.js');
const { getSecretManager } = await import('./dist/factories/SecretManagerCreatorFactory.js');
const { HostError, serviceLogger } = await import('./dist/hostError.js');
const { hostLog } = await import('./dist/utils/hostLog.js');
const AsyncFunction = (async () => {}).constructor;
const out = r => process.stdout.write('\\n' + JSON.stringify({ ...r, log: hostLog }) + '\\n');
try {
  const provider = kind === 'data' ? await getDb(name, arg) : await getSecretManager(name, serviceLogger);
  const value = await new AsyncFunction('provider', 'host', scenario)(provider, { HostError, log: hostLog });
  out({ ok: true, value: value ?? null });
} catch (e) {
  out({ ok: false, error: { name: String(e?.name), message: String(e?.message ?? e), hostClass: e instanceof HostError } });
}
// Pools and keep-alive agents would hold the child open; the scenario's outcome is already written.
process.exit(0);
`;

export function createFakeHost(service: KitService): FakeHost {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kit-host-${service}-`));
  const files: Record<string, string> = {
    'package.json': '{ "type": "module" }\n',
    'driver.js': DRIVER,
    ...FACTORIES,
    ...HOST_FILES[service],
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return {
    service,
    dir,
    install(bundle, builtFile) {
      const target = path.join(dir, bundleRelativePath(bundle));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(builtFile, target);
    },
    run({ bundle, arg, config, env, loopbackHosts, scenario }) {
      return new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          ['driver.js'],
          {
            cwd: dir,
            env: {
              PATH: process.env.PATH,
              ...env,
              FAKE_HOST_CONFIG: JSON.stringify(config ?? {}),
              FAKE_HOST_RUN: JSON.stringify({
                kind: bundle.kind,
                name: bundle.name,
                arg,
                scenario,
                loopbackHosts: loopbackHosts ?? [],
              }),
            },
            maxBuffer: 16 * 1024 * 1024,
          },
          (error, stdout, stderr) => {
            const last = stdout.trim().split('\n').pop() ?? '';
            try {
              resolve(JSON.parse(last));
            } catch {
              reject(
                new Error(
                  `driver failed (${
                    error?.message ?? 'no result'
                  }): ${stderr.slice(-4000)}`,
                ),
              );
            }
          },
        );
      });
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
