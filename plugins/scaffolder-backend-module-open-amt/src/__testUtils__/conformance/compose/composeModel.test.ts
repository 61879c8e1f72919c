/**
 * The compose model (interpolation.ts, dotenv.ts, view.ts) against the real thing: docker/compose's own unit-test
 * vectors, the installed docker-compose 1.29.2's interpolation and python-dotenv code on generated inputs, and
 * `docker-compose config` on rendered files covering every gateway × store and every distinct string we render.
 */
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { spawn, spawnSync } from 'child_process';
import { load } from 'js-yaml';
import { rmSync } from 'fs';
import { renderDeployment, RenderedFile } from '../../../render';
import { allCombinations, Combination, specFor } from '../../specs';
import {
  DOCKER_COMPOSE,
  requireDockerCompose,
} from '../../validators/dockerCompose';
import { composeTree } from '../../validators/renderedTree';
import { RenderedOutput } from '../output';
import { dotenvValues } from './dotenv';
import {
  ComposeEnvironment,
  ComposeInterpolationError,
  interpolateSection,
  interpolateString,
} from './interpolation';

/** Debian's python, the one /usr/bin/docker-compose runs with (its shebang), with compose and dotenv importable. */
const PYTHON = '/usr/bin/python3';
const HAVE_TOOL = requireDockerCompose();

function python(script: string, input: unknown, env = {}): any {
  const r = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const envOf = (o: Record<string, string>): ComposeEnvironment =>
  new Map(Object.entries(o));

function tryInterpolate(s: string, env: ComposeEnvironment) {
  try {
    const r = interpolateString(s, env);
    return { value: r.value, unset: r.unset };
  } catch (e) {
    if (e instanceof ComposeInterpolationError)
      return {
        error: /^Invalid interpolation/.test(e.message)
          ? 'invalid'
          : `required:${e.message}`,
      };
    throw e;
  }
}

describe("docker/compose 1.29.2's own vectors (tests/unit/config/interpolation_test.py)", () => {
  // :29-35 variable_mapping / defaults_interpolator.
  const mapping = envOf({ FOO: 'first', BAR: '' });
  const i = (s: string) => interpolateString(s, mapping).value;

  it('escaped, missing, with value, defaults (:360-398, :422-436, :450-459)', () => {
    expect(i('$${foo}')).toBe('${foo}');
    expect(i('This ${missing} var')).toBe('This  var');
    expect(interpolateString('This ${missing} var', mapping).unset).toEqual([
      'missing',
    ]);
    expect(i('This ${BAR} var')).toBe('This  var');
    expect(i('This $FOO var')).toBe('This first var');
    expect(i('This ${FOO} var')).toBe('This first var');
    expect(i('ok ${missing:-def}')).toBe('ok def');
    expect(i('ok ${missing-def}')).toBe('ok def');
    expect(i('ok ${BAR:-def}')).toBe('ok def');
    expect(i('ok ${BAR-def}')).toBe('ok ');
    expect(i('ok ${BAR:-/non:-alphanumeric}')).toBe('ok /non:-alphanumeric');
    expect(i('ok ${BAR:-:?wwegegr??:?}')).toBe('ok :?wwegegr??:?');
    expect(i('ok ${BAR-:-hello}')).toBe('ok ');
    expect(i('ok ${BAR?...:?bar}')).toBe('ok ');
    expect(i('ok $FOO:-bar')).toBe('ok first:-bar');
    expect(i('ok $BAZ?error')).toBe('ok ?error');
    const fallthrough = envOf({ 'TEST:-': 'hello', 'TEST-': 'hello' });
    expect(interpolateString('${TEST:-}', fallthrough).value).toBe('');
    expect(interpolateString('${TEST-}', fallthrough).value).toBe('');
  });

  it('invalid interpolations (:364-378)', () => {
    for (const s of [
      '${',
      '$}',
      '${}',
      '${ }',
      '${ foo}',
      '${foo }',
      '${foo!}',
    ])
      expect(() => i(s)).toThrow(/Invalid interpolation/);
  });

  it('mandatory values (:401-419, :427-429)', () => {
    expect(i('ok ${FOO:?bar}')).toBe('ok first');
    expect(i('ok ${FOO?bar}')).toBe('ok first');
    expect(i('ok ${BAR?bar}')).toBe('ok ');
    expect(() => i('not ok ${BAR:?high bar}')).toThrow(/^high bar$/);
    expect(() => i('not ok ${BAZ?dropped the bazz}')).toThrow(
      /^dropped the bazz$/,
    );
    expect(() => i('not ok ${BAZ?}')).toThrow(/^BAZ$/);
    expect(() => i('not ok ${BAR:?xazz:-redf}')).toThrow(/^xazz:-redf$/);
  });

  // :13-26 mock_env.
  const mockEnv = envOf({
    USER: 'jenny',
    FOO: 'bar',
    TRUE: 'True',
    FALSE: 'OFF',
    POSINT: '50',
    NEGINT: '-200',
    FLOAT: '0.145',
    MODE: '0600',
    BYTES: '512m',
  });

  it('services, volumes, secrets (:38-114)', () => {
    expect(
      interpolateSection(
        {
          servicea: {
            image: 'example:${USER}',
            volumes: ['$FOO:/target'],
            logging: { driver: '${FOO}', options: { user: '$USER' } },
          },
        },
        'service',
        mockEnv,
      ).value,
    ).toEqual({
      servicea: {
        image: 'example:jenny',
        volumes: ['bar:/target'],
        logging: { driver: 'bar', options: { user: 'jenny' } },
      },
    });
    expect(
      interpolateSection(
        {
          data: { driver: '$FOO', driver_opts: { max: 2, user: '${USER}' } },
          other: null,
        },
        'volume',
        mockEnv,
      ).value,
    ).toEqual({
      data: { driver: 'bar', driver_opts: { max: 2, user: 'jenny' } },
      other: {},
    });
    expect(
      interpolateSection(
        {
          secretservice: { file: '$FOO', labels: { max: 2, user: '${USER}' } },
          other: null,
        },
        'secret',
        mockEnv,
      ).value,
    ).toEqual({
      secretservice: { file: 'bar', labels: { max: '2', user: 'jenny' } },
      other: {},
    });
  });

  it('type conversions v2 and v3, service names with dots (:117-258, :329-357)', () => {
    expect(
      interpolateSection(
        {
          service1: {
            blkio_config: {
              weight: '${POSINT}',
              weight_device: [{ file: '/dev/sda1', weight: '${POSINT}' }],
            },
            cpus: '${FLOAT}',
            cpu_count: '$POSINT',
            healthcheck: {
              retries: '${POSINT:-3}',
              disable: '${FALSE}',
              command: 'true',
            },
            mem_swappiness: '${DEFAULT:-127}',
            oom_score_adj: '${NEGINT}',
            scale: '${POSINT}',
            ulimits: {
              nproc: '${POSINT}',
              nofile: { soft: '${POSINT}', hard: '${DEFAULT:-40000}' },
            },
            privileged: '${TRUE}',
            read_only: '${DEFAULT:-no}',
            tty: '${DEFAULT:-N}',
            stdin_open: '${DEFAULT-on}',
            volumes: [
              { type: 'tmpfs', target: '/target', tmpfs: { size: '$BYTES' } },
            ],
          },
        },
        'service',
        mockEnv,
      ).value,
    ).toEqual({
      service1: {
        blkio_config: {
          weight: 50,
          weight_device: [{ file: '/dev/sda1', weight: 50 }],
        },
        cpus: 0.145,
        cpu_count: 50,
        healthcheck: { retries: 50, disable: false, command: 'true' },
        mem_swappiness: 127,
        oom_score_adj: -200,
        scale: 50,
        ulimits: { nproc: 50, nofile: { soft: 50, hard: 40000 } },
        privileged: true,
        read_only: false,
        tty: false,
        stdin_open: true,
        volumes: [
          { type: 'tmpfs', target: '/target', tmpfs: { size: 536870912 } },
        ],
      },
    });
    expect(
      interpolateSection(
        {
          service1: {
            deploy: {
              update_config: {
                parallelism: '${DEFAULT:-2}',
                max_failure_ratio: '${FLOAT}',
              },
              restart_policy: { max_attempts: '$POSINT' },
              replicas: '${DEFAULT-3}',
            },
            ports: [{ target: '${POSINT}', published: '${DEFAULT:-5000}' }],
            configs: [{ mode: '${MODE}', source: 'config1' }],
            secrets: [{ mode: '${MODE}', source: 'secret1' }],
          },
          'service.1': { image: 'busybox', ulimits: { nproc: '${POSINT}' } },
        },
        'service',
        mockEnv,
      ).value,
    ).toEqual({
      service1: {
        deploy: {
          update_config: { parallelism: 2, max_failure_ratio: 0.145 },
          restart_policy: { max_attempts: 50 },
          replicas: 3,
        },
        ports: [{ target: 50, published: 5000 }],
        configs: [{ mode: 0o600, source: 'config1' }],
        secrets: [{ mode: 0o600, source: 'secret1' }],
      },
      'service.1': { image: 'busybox', ulimits: { nproc: 50 } },
    });
  });

  it('invalid conversions and networks (:261-326)', () => {
    const fails = (entry: any, message: string) =>
      expect(() => interpolateSection(entry, 'service', mockEnv)).toThrow(
        message,
      );
    fails(
      { service1: { privileged: '${POSINT}' } },
      'Error while attempting to convert service.service1.privileged to appropriate type: "50" is not a valid boolean value',
    );
    fails(
      { service1: { cpus: '${TRUE}' } },
      'Error while attempting to convert service.service1.cpus to appropriate type: "True" is not a valid float',
    );
    fails(
      { service1: { ulimits: { nproc: '${FLOAT}' } } },
      'Error while attempting to convert service.service1.ulimits.nproc to appropriate type: "0.145" is not a valid integer',
    );
    expect(
      interpolateSection(
        {
          network1: {
            external: '${FALSE}',
            attachable: '${TRUE}',
            internal: '${DEFAULT:-false}',
          },
        },
        'network',
        mockEnv,
      ).value,
    ).toEqual({
      network1: { external: false, attachable: true, internal: false },
    });
    for (const section of ['network', 'volume', 'secret', 'config'] as const)
      expect(
        interpolateSection(
          { resource1: { external: '${TRUE}' } },
          section,
          mockEnv,
        ).value,
      ).toEqual({ resource1: { external: true } });
  });
});

describe("the compose spec's interpolation section (compose-spec/compose-spec 12-interpolation.md) as 1.29.2 does it", () => {
  const env = envOf({ FOO: 'foo', EMPTY: '' });
  const i = (s: string) => interpolateString(s, env).value;

  it('defaults, mandatory values and $$ as the spec says (:6-18, :33-42)', () => {
    expect(i('${VARIABLE:-default}')).toBe('default');
    expect(i('${EMPTY:-default}')).toBe('default');
    expect(i('${VARIABLE-default}')).toBe('default');
    expect(i('${EMPTY-default}')).toBe('');
    expect(() => i('${EMPTY:?err}')).toThrow(/^err$/);
    expect(i('${EMPTY?err}')).toBe('');
    expect(() => i('${VARIABLE?err}')).toThrow(/^err$/);
    expect(i('$$VAR_NOT_INTERPOLATED_BY_COMPOSE')).toBe(
      '$VAR_NOT_INTERPOLATED_BY_COMPOSE',
    );
    // :44 an unresolved variable without a default: a warning and "".
    expect(interpolateString('$VARIABLE', env)).toMatchObject({
      value: '',
      unset: ['VARIABLE'],
    });
  });

  it('only values, never keys (:49-65)', () => {
    const labels = interpolateSection(
      {
        foo: {
          labels: { $FOO: 'BAR' },
          environment: ['$FOO=BAR'],
        },
      },
      'service',
      env,
    ).value;
    expect(labels).toEqual({
      foo: { labels: { $FOO: 'BAR' }, environment: ['foo=BAR'] },
    });
  });

  it('where 1.29.2 is older than the spec: no nesting (:20-24), and a lone $ is an error, not kept (:29-31)', () => {
    // The first } closes the braced group: the default is "${FOO" and the last } is text.
    expect(i('${VARIABLE:-${FOO}}')).toBe('${FOO}');
    expect(i('${VARIABLE:-${FOO:-default}}')).toBe('${FOO:-default}');
    expect(() => i('${VARIABLE?$FOO}')).toThrow(/^\$FOO$/);
    expect(() => i('cost: 5$')).toThrow(/Invalid interpolation/);
  });

  it('the same strings through the installed compose code', () => {
    if (!HAVE_TOOL) return;
    const strings = [
      '${VARIABLE:-${FOO}}',
      '${VARIABLE:-${FOO:-default}}',
      '${VARIABLE?$FOO}',
      'cost: 5$',
      '$$VAR_NOT_INTERPOLATED_BY_COMPOSE',
      '${EMPTY-default}',
    ];
    const real = python(
      `
import json, sys
from compose.config.environment import Environment
from compose.config.interpolation import Interpolator, TemplateWithDefaults, InvalidInterpolation, UnsetRequiredSubstitution
out = []
for s in json.load(sys.stdin):
    env = Environment({"FOO": "foo", "EMPTY": ""})
    try:
        out.append({"value": Interpolator(TemplateWithDefaults, env).interpolate(s), "unset": env.missing_keys})
    except InvalidInterpolation:
        out.append({"error": "invalid"})
    except UnsetRequiredSubstitution as e:
        out.append({"error": "required:" + e.err})
print(json.dumps(out))
`,
      strings,
    );
    expect(strings.map(x => tryInterpolate(x, env))).toEqual(real);
  });
});

/** A deterministic generator: the same inputs on every run (no flaky test). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

describe('the model equals the installed docker-compose 1.29.2 code on generated inputs', () => {
  it('interpolation: 4000 strings of $, braces, separators and names (compose/config/interpolation.py)', () => {
    if (!HAVE_TOOL) return;
    const pieces = [
      '$',
      '$',
      '{',
      '}',
      ':',
      '-',
      '?',
      'FOO',
      'BAR',
      'baz',
      '_x1',
      '9',
      ' ',
      '!',
      'ı',
      'é',
      '"',
      '\n',
    ];
    const rnd = lcg(18);
    const inputs = Array.from({ length: 4000 }, () =>
      Array.from({ length: 1 + rnd(9) }, () => pieces[rnd(pieces.length)]).join(
        '',
      ),
    );
    const env = { FOO: 'first', BAR: '', baz: '$x' };
    const real: any[] = python(
      `
import json, sys
from compose.config.environment import Environment
from compose.config.interpolation import Interpolator, TemplateWithDefaults, InvalidInterpolation, UnsetRequiredSubstitution
out = []
for s in json.load(sys.stdin):
    env = Environment(${JSON.stringify(env)})
    try:
        out.append({"value": Interpolator(TemplateWithDefaults, env).interpolate(s), "unset": env.missing_keys})
    except InvalidInterpolation:
        out.append({"error": "invalid"})
    except UnsetRequiredSubstitution as e:
        out.append({"error": "required:" + e.err})
print(json.dumps(out))
`,
      inputs,
    );
    const model = inputs.map(s => tryInterpolate(s, envOf(env)));
    const differ = inputs
      .map((s, k) => ({ s, real: real[k], model: model[k] }))
      .filter(d => JSON.stringify(d.real) !== JSON.stringify(d.model));
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('which characters start and continue a $NAME, over the Basic Multilingual Plane (Python re.IGNORECASE)', () => {
    if (!HAVE_TOOL) return;
    const real: { start: number[]; cont: number[] } = python(
      `
import json, sys
from compose.config.interpolation import TemplateWithDefaults as T
p = T.pattern
start, cont = [], []
for c in range(0x10000):
    if 0xD800 <= c < 0xE000: continue
    ch = chr(c)
    m = p.match('$' + ch)
    if m and m.group('named') == ch: start.append(c)
    m = p.match('$a' + ch)
    if m and m.group('named') == 'a' + ch: cont.append(c)
print(json.dumps({"start": start, "cont": cont}))
`,
      null,
    );
    const start: number[] = [];
    const cont: number[] = [];
    const none = envOf({});
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c < 0xe000) continue;
      const ch = String.fromCharCode(c);
      const a = tryInterpolate(`$${ch}`, none);
      if ('unset' in a && a.unset?.[0] === ch) start.push(c);
      const b = tryInterpolate(`$a${ch}`, none);
      if ('unset' in b && b.unset?.[0] === `a${ch}`) cont.push(c);
    }
    expect({ start, cont }).toEqual(real);
  });

  it('env files: python-dotenv 0.21 as compose calls it (environment.py:29-41)', () => {
    if (!HAVE_TOOL) return;
    const texts = [
      'A=1\nB=${A}x\nC="q ${B} \\n" # c\nD=\'s ${A}\'\nE = spaced  # comment\nF=a#b\n',
      'export G=1\n#comment\nH\nI=\nJ=${UNSET:-dflt}\nK=${SHELLVAR}\nL="multi\nline"\n',
      "'M'=quoted key\nN=x y z\nO=\"unterminated\nP=${A:-}${}$A\nQ=\\'\n",
      "\uFEFFR=bom\r\nS=crlf\r\nT='a\\'b'\n",
      'U=!#%+,-.:=?@^_~\nV= lead\nW=tab\there\nX="\\t\\x41\\\\"\n',
      'COMPOSE_PROJECT_NAME=amt-postgresql-vault-kong-compose\n',
    ];
    const shell = { SHELLVAR: 'from-shell', A: 'shell-A' };
    const real: Array<Array<[string, string | null]>> = python(
      `
import io, json, sys, dotenv
print(json.dumps([list(dotenv.dotenv_values(stream=io.StringIO(t.lstrip('\\ufeff')), interpolate=True).items()) for t in json.load(sys.stdin)]))
`,
      texts,
      shell,
    );
    expect(texts.map(t => [...dotenvValues(t, shell)])).toEqual(real);
  });
});

/** Strings of the fields a container runs or receives, per service: what the sample must cover. */
function shapes(files: RenderedFile[]): string[] {
  const doc: any = load(
    files.find(f => f.path === 'docker-compose.yml')!.content,
  );
  return Object.entries(doc.services ?? {}).flatMap(
    ([name, s]: [string, any]) =>
      [
        ['image', s.image],
        ['command', s.command],
        ['entrypoint', s.entrypoint],
        ['healthcheck', s.healthcheck?.test],
        ...Object.entries(s.environment ?? {}).map(([k, v]) => [
          `environment.${k}`,
          // Values that differ only by the deployment's name are one shape.
          String(v).replace(/amt-[a-z0-9-]+/g, '<name>'),
        ]),
      ]
        .filter(([, v]) => v !== undefined)
        .map(([field, v]) => `${name}.${field}=${JSON.stringify(v)}`),
  );
}

type Rendered = {
  name: string;
  combination: Combination;
  files: RenderedFile[];
  out: RenderedOutput;
};

/** Every gateway × store once (databases in turn), then whatever else brings a string not yet covered. */
function sample(): Rendered[] {
  const all: Rendered[] = TOOLKIT_RELEASE_IDS.flatMap(release =>
    allCombinations()
      .filter(c => c.target === 'compose')
      .map(c => {
        const spec = parseDeploymentSpec({
          ...specFor(c),
          toolkitRelease: release,
        });
        const files = renderDeployment(spec);
        return {
          name: `${release} ${spec.name}`,
          combination: c,
          files,
          out: new RenderedOutput(spec, files),
        };
      }),
  );
  const picked: Rendered[] = [];
  const covered = new Set<string>();
  const take = (r: Rendered) => {
    picked.push(r);
    shapes(r.files).forEach(s => covered.add(s));
  };
  const databases = [...new Set(all.map(r => r.combination.database))];
  const pairs = new Map<string, Rendered[]>();
  for (const r of all) {
    const pair = `${r.combination.gateway}/${r.combination.secrets}`;
    pairs.set(pair, [...(pairs.get(pair) ?? []), r]);
  }
  [...pairs.values()].forEach((members, k) =>
    take(
      members.find(
        r => r.combination.database === databases[k % databases.length],
      ) ?? members[0],
    ),
  );
  for (const r of all) if (shapes(r.files).some(s => !covered.has(s))) take(r);
  return picked;
}

/** `docker-compose config` in a folder with the rendered files and placeholder secrets/*.env, with only PATH exported. */
async function composeConfig(
  files: RenderedFile[],
): Promise<{ doc: any; stderr: string }> {
  const dir = composeTree(files);
  try {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await new Promise<number | null>(res => {
      const p = spawn(DOCKER_COMPOSE, ['config'], {
        cwd: dir,
        env: { PATH: '/usr/bin:/bin' },
      });
      p.stdout.on('data', d => stdout.push(String(d)));
      p.stderr.on('data', d => stderr.push(String(d)));
      p.on('close', res);
    });
    if (code !== 0) throw new Error(stderr.join(''));
    return { doc: load(stdout.join('')), stderr: stderr.join('') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** serialize.py:31-34: `config` writes every `$` of a string as `$$`; undone here to compare values. */
function unescape(x: any): any {
  if (typeof x === 'string') return x.replace(/\$\$/g, '$');
  if (Array.isArray(x)) return x.map(unescape);
  if (x && typeof x === 'object')
    return Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, unescape(v)]),
    );
  return x;
}

/** JSON with object keys sorted: `config` prints mappings sorted. */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );

/** The model's view next to what the real tool printed, field by field. */
function differences(
  name: string,
  out: RenderedOutput,
  real: { doc: any; stderr: string },
): string[] {
  const view = out.compose()!;
  const diffs: string[] = [];
  const tool = unescape(real.doc.services);
  const warned = [...real.stderr.matchAll(/The (\S+) variable is not set/g)]
    .map(m => m[1])
    .sort();
  if (JSON.stringify(warned) !== JSON.stringify([...view.unset].sort()))
    diffs.push(`${name}: warnings ${warned} vs model ${view.unset}`);
  for (const [service, s] of Object.entries(view.services)) {
    const t = tool[service];
    if (!t) {
      diffs.push(`${name}: ${service} missing from docker-compose config`);
      continue;
    }
    // env_file values are merged into environment by `config`: the rendered ones through the dotenv model.
    const fromFiles = Object.fromEntries(
      [s.env_file ?? []]
        .flat()
        .flatMap((f: string) => [...dotenvValues(out.file(f) ?? '')]),
    );
    const fields: Array<[string, unknown, unknown]> = [
      ['image', s.image, t.image],
      ['command', s.command, t.command],
      ['entrypoint', s.entrypoint, t.entrypoint],
      ['healthcheck.test', s.healthcheck?.test, t.healthcheck?.test],
      ['healthcheck.retries', s.healthcheck?.retries, t.healthcheck?.retries],
      ['environment', { ...fromFiles, ...s.environment }, t.environment ?? {}],
    ];
    for (const [field, model, actual] of fields)
      if (canonical(model) !== canonical(actual))
        diffs.push(
          `${name} ${service}.${field}: model ${JSON.stringify(
            model,
          )} vs docker-compose ${JSON.stringify(actual)}`,
        );
  }
  return diffs;
}

async function compareAll(
  sets: Array<{ name: string; out: RenderedOutput }>,
): Promise<string[]> {
  const diffs: string[] = [];
  let next = 0;
  // Two at a time: the machine is shared.
  const worker = async () => {
    while (next < sets.length) {
      const { name, out } = sets[next++];
      diffs.push(...differences(name, out, await composeConfig(out.files)));
    }
  };
  await Promise.all([worker(), worker()]);
  return diffs;
}

describe('the compose view equals `docker-compose config`', () => {
  it('on a sample of rendered compose files: every gateway × store, every distinct string', async () => {
    if (!HAVE_TOOL) return;
    const picked = sample();
    const gateways = new Set(
      picked.map(p => `${p.combination.gateway}/${p.combination.secrets}`),
    );
    expect(gateways.size).toBe(15);
    expect(await compareAll(picked)).toEqual([]);
  }, 300_000);

  it("on the old renewer and on every form of `$`, with a .env that uses dotenv's own rules", async () => {
    if (!HAVE_TOOL) return;
    const spec = parseDeploymentSpec(
      specFor({
        database: 'postgresql',
        secrets: 'vault',
        gateway: 'kong',
        target: 'compose',
      }),
    );
    const base = renderDeployment(spec);
    const compose = base.find(f => f.path === 'docker-compose.yml')!.content;
    const replace = (files: RenderedFile[], path: string, content: string) => [
      ...files.filter(f => f.path !== path),
      { path, content },
    ];
    const old = replace(
      base,
      'docker-compose.yml',
      compose.replace(/\$\$/g, '$'),
    );
    const forms = replace(
      replace(
        base,
        'docker-compose.yml',
        compose
          .replace(
            'MPS_INSTANCE_NAME: mps',
            // A function: a replacement string would turn $$ into $.
            () =>
              'MPS_INSTANCE_NAME: "${COMPOSE_PROJECT_NAME}-$${x}-${QUOTED}-${EMPTY:-d1}-${EMPTY-d2}-${NOPE-d3}-$$-$NOPE2"',
          )
          .replace('retries: 3', 'retries: "${RETRIES:-4}"'),
      ),
      '.env',
      'COMPOSE_PROJECT_NAME=amt-x\nQUOTED="a ${COMPOSE_PROJECT_NAME} b" # c\nEMPTY=\nRETRIES=07\n',
    );
    expect(
      await compareAll([
        { name: 'old renewer', out: new RenderedOutput(spec, old) },
        { name: 'forms', out: new RenderedOutput(spec, forms) },
      ]),
    ).toEqual([]);
  }, 120_000);
});
