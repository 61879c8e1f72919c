/**
 * How docker-compose 1.29.2 reads a `.env` or `env_file`: python-dotenv 0.21.0 (Debian python3-dotenv, what
 * /usr/bin/docker-compose imports), called by compose/config/environment.py:29-41 `env_vars_from_file` with
 * interpolate=True. Modelled from /usr/lib/python3/dist-packages/dotenv/parser.py (the line grammar, :11-25 and
 * :112-176), variables.py:5-15 (`${NAME}` / `${NAME:-default}` only, default when unset) and main.py:223-245
 * (the process environment overlaid with the file's earlier lines: override=True at main.py:376).
 * Checked against the real parser in composeModel.test.ts.
 */

/** One file's bindings in order; `null` for a key written without `=` (compose keeps it, without a value). */
export type DotenvValues = Map<string, string | null>;

class EndOfInput extends Error {}

const WS = '[^\\S\\r\\n]*';
const sticky = (source: string) => new RegExp(source, 'uy');
const RE = {
  multilineWhitespace: sticky('\\s*'),
  export: sticky(`(?:export[^\\S\\r\\n]+)?`),
  singleQuotedKey: sticky("'([^']+)'"),
  unquotedKey: sticky('([^=#\\s]+)'),
  whitespace: sticky(WS),
  equalSign: sticky(`(=${WS})`),
  singleQuotedValue: sticky("'((?:\\\\'|[^'])*)'"),
  doubleQuotedValue: sticky('"((?:\\\\"|[^"])*)"'),
  unquotedValue: sticky('([^\\r\\n]*)'),
  comment: sticky(`(?:${WS}#[^\\r\\n]*)?`),
  endOfLine: sticky(`${WS}(?:\\r\\n|\\n|\\r|$)`),
  restOfLine: sticky('[^\\r\\n]*(?:\\r|\\n|\\r\\n)?'),
};

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function parseLines(text: string): Array<[string, string | null]> {
  let pos = 0;
  const read = (re: RegExp): string[] => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new EndOfInput();
    pos += m[0].length;
    return m.slice(1);
  };
  const value = (): string => {
    const c = text[pos];
    if (c === "'")
      return read(RE.singleQuotedValue)[0].replace(/\\[\\']/g, e => e[1]);
    if (c === '"')
      return read(RE.doubleQuotedValue)[0].replace(
        /\\[\\'"abfnrtv]/g,
        e => ESCAPES[e[1]],
      );
    if (c === undefined || c === '\n' || c === '\r') return '';
    return read(RE.unquotedValue)[0]
      .replace(/\s+#[^]*/u, '')
      .replace(/\s+$/u, '');
  };
  const out: Array<[string, string | null]> = [];
  while (pos < text.length) {
    try {
      read(RE.multilineWhitespace);
      if (pos >= text.length) break;
      read(RE.export);
      let key: string | undefined;
      if (text[pos] === '#') key = undefined;
      else if (text[pos] === "'") key = read(RE.singleQuotedKey)[0];
      else key = read(RE.unquotedKey)[0];
      read(RE.whitespace);
      let v: string | null = null;
      if (text[pos] === '=') {
        read(RE.equalSign);
        v = value();
      }
      read(RE.comment);
      read(RE.endOfLine);
      if (key !== undefined) out.push([key, v]);
    } catch (e) {
      if (!(e instanceof EndOfInput)) throw e;
      // python-dotenv warns "could not parse statement" and skips the rest of the line from where it stopped.
      read(RE.restOfLine);
    }
  }
  return out;
}

/** `${NAME}` and `${NAME:-default}` (python-dotenv's POSIX subset): the default only when NAME is unset. */
function expand(value: string, env: Map<string, string | null>): string {
  return value.replace(
    /\$\{([^}:]*)(?::-([^}]*))?\}/g,
    (_, name: string, def?: string) => env.get(name) ?? def ?? '',
  );
}

/**
 * The values docker-compose takes from one env file, given the process environment it runs in (`processEnv`: what
 * the operator's shell exports; the runbook decides it).
 */
export function dotenvValues(
  text: string,
  processEnv: Record<string, string> = {},
): DotenvValues {
  const values: DotenvValues = new Map();
  // utf-8-sig: a leading byte order mark is not part of the first key.
  for (const [key, raw] of parseLines(text.replace(/^\uFEFF/, ''))) {
    // override=True: the file's earlier lines win over the process environment (main.py:235-237).
    const env = new Map<string, string | null>(Object.entries(processEnv));
    values.forEach((v, k) => env.set(k, v));
    values.set(key, raw === null ? null : expand(raw, env));
  }
  return values;
}
