/**
 * What docker-compose 1.29.2 (/usr/bin/docker-compose, Debian) makes of `$` in a compose file before anything runs:
 * compose/config/interpolation.py, modelled line by line and checked against the real tool (composeModel.test.ts):
 * - :87-99 the pattern (Python `string.Template`, re.IGNORECASE): `$$` is one `$`; `$NAME`, `${NAME}`,
 *   `${NAME:-d}` / `${NAME-d}` (default when unset or empty / when unset), `${NAME:?e}` / `${NAME?e}` (an error);
 *   any other `$` is an invalid interpolation (compose refuses the file, :49-59);
 * - :136-140 a plain `$NAME` reads the environment with `[]`: unset, compose warns "The NAME variable is not set.
 *   Defaulting to a blank string." (environment.py:83-99) and substitutes "";
 * - :71-84 every string of every service, volume, network, secret and config (config.py:582-620), then
 *   :229-293 the typed fields converted (healthcheck.retries to an integer, …).
 * The environment is the project's `.env` (dotenv.ts) overlaid with the process environment (environment.py:51-69).
 */

export class ComposeInterpolationError extends Error {}

/** The variables compose interpolates with: `null` for a key the .env names without a value. */
export type ComposeEnvironment = ReadonlyMap<string, string | null>;

/**
 * Python's `[_a-z]` under re.IGNORECASE also takes U+0130, U+0131, U+017F and U+212A (they case-fold into a-z);
 * composeModel.test.ts compares this class with the real pattern over the whole Basic Multilingual Plane.
 */
const ID_START = '_a-zA-Z\\u0130\\u0131\\u017F\\u212A';
const ID = `[${ID_START}][${ID_START}0-9]*`;
const PATTERN = new RegExp(
  `\\$(?:(\\$)|(${ID})|\\{(${ID}(?:(:?[-?])[^}]*)?)\\}|())`,
  'gu',
);

export interface InterpolationResult {
  value: string;
  /** Variables read with `$NAME` / `${NAME}` that were unset: compose warns and substitutes "". */
  unset: string[];
  /** Every variable the string refers to (any form but `$$`): what compose substitutes at parse time. */
  referenced: string[];
}

/** One string, as TemplateWithDefaults.substitute (interpolation.py:125-147) returns it. */
export function interpolateString(
  template: string,
  env: ComposeEnvironment,
): InterpolationResult {
  const unset: string[] = [];
  const referenced: string[] = [];
  const value = template.replace(
    PATTERN,
    (
      whole,
      escaped: string | undefined,
      named: string | undefined,
      braced: string | undefined,
      sep: string | undefined,
      invalid: string | undefined,
    ) => {
      if (escaped !== undefined) return '$';
      if (braced !== undefined && sep) {
        const [name, rest] = [
          braced.slice(0, braced.indexOf(sep)),
          braced.slice(braced.indexOf(sep) + sep.length),
        ];
        referenced.push(name);
        const v = env.get(name);
        if (sep === ':-') return v || rest;
        if (sep === '-') return env.has(name) ? String(v) : rest;
        if (sep === ':?') {
          if (!v) throw new ComposeInterpolationError(rest || name);
          return v;
        }
        if (!env.has(name)) throw new ComposeInterpolationError(rest || name);
        return String(v);
      }
      const name = named ?? braced;
      if (name !== undefined) {
        referenced.push(name);
        if (!env.has(name)) {
          if (!unset.includes(name)) unset.push(name);
          return '';
        }
        // Python formats a None (a key without a value) as "None".
        return String(env.get(name) ?? 'None');
      }
      if (invalid !== undefined)
        throw new ComposeInterpolationError(
          `Invalid interpolation format: "${template}"`,
        );
      return whole;
    },
  );
  return { value, unset, referenced };
}

const toBoolean = (s: string) => {
  const l = s.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(l)) return true;
  if (['n', 'no', 'false', 'off'].includes(l)) return false;
  throw new Error(`"${s}" is not a valid boolean value`);
};
/** Python int(s, base=0) after compose's octal fix (interpolation.py:187-197). */
const toInt = (s: string) => {
  let t = s.trim();
  if (/^0[0-9]+$/.test(t)) t = `0o${t.slice(1)}`;
  const m =
    /^([+-]?)(?:(0[xX])_?([0-9a-fA-F_]+)|(0[oO])_?([0-7_]+)|(0[bB])_?([01_]+)|([1-9][0-9_]*|0+))$/.exec(
      t,
    );
  if (!m || /__|_$/.test(t)) throw new Error(`"${s}" is not a valid integer`);
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) return sign * parseInt(m[3].replace(/_/g, ''), 16);
  if (m[4]) return sign * parseInt(m[5].replace(/_/g, ''), 8);
  if (m[6]) return sign * parseInt(m[7].replace(/_/g, ''), 2);
  return sign * parseInt(m[8].replace(/_/g, ''), 10);
};
const toFloat = (s: string) => {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    throw new Error(`"${s}" is not a valid float`);
  return Number(t);
};
/** docker-py utils.parse_bytes, as compose's bytes_to_int calls it (interpolation.py:216-220). */
const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
};
const bytesToInt = (s: string) => {
  if (s.length === 0) return 0;
  let t = s;
  if (/[a-z]/i.test(t.slice(-2, -1)) && /[a-z]/i.test(t.slice(-1)))
    if (/b/i.test(t.slice(-1))) t = t.slice(0, -1);
  const suffix = t.slice(-1).toLowerCase();
  const digits = /\d/.test(suffix) ? t : t.slice(0, -1);
  const unit = /\d/.test(suffix) ? 1 : UNITS[suffix];
  if (unit === undefined || !/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(digits))
    throw new Error(`"${s}" is not a valid byte value`);
  return Math.trunc(Number(digits) * unit);
};
/** Python '{}'.format of a bool or number (a YAML float like 2.0 is the number 2 here: not told apart). */
const toStr = (o: unknown) => {
  if (typeof o === 'boolean') return o ? 'True' : 'False';
  return typeof o === 'number' ? String(o) : o;
};
const notModelled = () => {
  throw new Error('a duration field: not modelled');
};

type Converter = (v: string) => unknown;
/** interpolation.py:229-280: which paths compose converts, and to what. */
const P = '[^/]+';
const service = (...a: string[]) => ['service', P, ...a].join('/');
const CONVERSIONS: Array<[RegExp, Converter, boolean?]> = (
  [
    [service('blkio_config', 'weight'), toInt],
    [service('blkio_config', 'weight_device', 'weight'), toInt],
    [service('build', 'labels', '.+'), toStr, true],
    [service('cpus'), toFloat],
    [service('cpu_count'), toInt],
    [service('cpu_quota'), notModelled],
    [service('cpu_period'), notModelled],
    [service('cpu_rt_period'), notModelled],
    [service('cpu_rt_runtime'), notModelled],
    [service('configs', 'mode'), toInt],
    [service('secrets', 'mode'), toInt],
    [service('healthcheck', 'retries'), toInt],
    [service('healthcheck', 'disable'), toBoolean],
    [service('deploy', 'labels', P), toStr, true],
    [service('deploy', 'replicas'), toInt],
    [service('deploy', 'placement', 'max_replicas_per_node'), toInt],
    [service('deploy', 'resources', 'limits', 'cpus'), toFloat],
    [service('deploy', 'update_config', 'parallelism'), toInt],
    [service('deploy', 'update_config', 'max_failure_ratio'), toFloat],
    [service('deploy', 'rollback_config', 'parallelism'), toInt],
    [service('deploy', 'rollback_config', 'max_failure_ratio'), toFloat],
    [service('deploy', 'restart_policy', 'max_attempts'), toInt],
    [service('mem_swappiness'), toInt],
    [service('labels', '.+'), toStr, true],
    [service('oom_kill_disable'), toBoolean],
    [service('oom_score_adj'), toInt],
    [service('ports', 'target'), toInt],
    [service('ports', 'published'), toInt],
    [service('scale'), toInt],
    [service('ulimits', P), toInt],
    [service('ulimits', P, 'soft'), toInt],
    [service('ulimits', P, 'hard'), toInt],
    [service('privileged'), toBoolean],
    [service('read_only'), toBoolean],
    [service('stdin_open'), toBoolean],
    [service('tty'), toBoolean],
    [service('volumes', 'read_only'), toBoolean],
    [service('volumes', 'volume', 'nocopy'), toBoolean],
    [service('volumes', 'tmpfs', 'size'), bytesToInt],
    [['network', P, 'attachable'].join('/'), toBoolean],
    [['network', P, 'external'].join('/'), toBoolean],
    [['network', P, 'internal'].join('/'), toBoolean],
    [['network', P, 'labels', '.+'].join('/'), toStr, true],
    [['volume', P, 'external'].join('/'), toBoolean],
    [['volume', P, 'labels', '.+'].join('/'), toStr, true],
    [['secret', P, 'external'].join('/'), toBoolean],
    [['secret', P, 'labels', '.+'].join('/'), toStr, true],
    [['config', P, 'external'].join('/'), toBoolean],
    [['config', P, 'labels', '.+'].join('/'), toStr, true],
  ] as Array<[string, Converter, boolean?]>
).map(([p, f, any]) => [new RegExp(`^${p}$`), f, any]);

/** interpolation.py:282-293: non-strings go through only the converters that take any value (to_str). */
function convert(path: string, value: unknown): unknown {
  for (const [re, f, takesAny] of CONVERSIONS) {
    if (!re.test(path)) continue;
    if (typeof value !== 'string' && !takesAny) return value;
    try {
      return f(value as string);
    } catch (e) {
      throw new ComposeInterpolationError(
        `Error while attempting to convert ${path.replace(
          /\//g,
          '.',
        )} to appropriate type: ${(e as Error).message}`,
      );
    }
  }
  return value;
}

function recursive(
  obj: unknown,
  env: ComposeEnvironment,
  path: string,
  unset: Set<string>,
): unknown {
  if (typeof obj === 'string') {
    const r = interpolateString(obj, env);
    r.unset.forEach(u => unset.add(u));
    return convert(path, r.value);
  }
  if (Array.isArray(obj)) return obj.map(v => recursive(v, env, path, unset));
  if (obj && typeof obj === 'object')
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [
        k,
        recursive(v, env, `${path}/${k}`, unset),
      ]),
    );
  return convert(path, obj);
}

export interface InterpolatedSection {
  value: Record<string, any>;
  unset: string[];
}

/**
 * One top-level section (`service`, `volume`, `network`, `secret`, `config`): each entry's keys interpolated under
 * `<section>/<name>/<key>` (interpolation.py:27-46), a null entry becoming `{}`.
 */
export function interpolateSection(
  entries: Record<string, any> | null | undefined,
  section: 'service' | 'volume' | 'network' | 'secret' | 'config',
  env: ComposeEnvironment,
): InterpolatedSection {
  const unset = new Set<string>();
  const value: Record<string, any> = {};
  for (const [name, config] of Object.entries(entries ?? {})) {
    value[name] = {};
    for (const [key, v] of Object.entries(config ?? {})) {
      try {
        value[name][key] = recursive(
          v,
          env,
          `${section}/${name}/${key}`,
          unset,
        );
      } catch (e) {
        if (!(e instanceof ComposeInterpolationError)) throw e;
        throw new ComposeInterpolationError(
          `${section} "${name}" option "${key}": ${e.message}`,
        );
      }
    }
  }
  return { value, unset: [...unset] };
}
