/**
 * A small YAML emitter for plain data (objects, arrays, strings, numbers, booleans, null), kept for speed: over every
 * document the 360 combinations render it takes 0.16 ms per combination where the `yaml` library's stringify takes
 * 2.1 ms, about a third of bench:render's median (5.7 ms). It emits block style, plain scalars where unambiguous,
 * JSON-quoted ones otherwise (YAML is a JSON superset) and literal blocks for multi-line text. yaml.test.ts checks
 * it round-trips through the `yaml` parser.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalarString(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function key(k: string): string {
  return scalarString(k);
}

function literalBlock(s: string, indent: string): string | undefined {
  // Literal blocks cannot carry carriage returns, tabs at line starts, or leading spaces on the first line.
  if (/[\r\t]/.test(s) || /^ /.test(s) || /[^\S\n]\n|[^\S\n]$/.test(s))
    return undefined;
  const trailing = /\n+$/.exec(s)?.[0].length ?? 0;
  // Chomping indicator: strip (no final newline), clip (one), keep (several).
  const chomp = ['-', ''][trailing] ?? '+';
  const body = s.slice(0, s.length - trailing);
  const lines = body.split('\n').map(l => (l ? `${indent}${l}` : ''));
  return `|${chomp}\n${lines.join('\n')}${'\n'.repeat(Math.max(trailing, 1))}`;
}

function emit(value: unknown, indent: string, out: string[]): void {
  // `out` receives text; the caller has written the key/dash already (without newline).
  if (value === null || value === undefined) {
    out.push(' null\n');
  } else if (typeof value === 'string') {
    const block = value.includes('\n')
      ? literalBlock(value, `${indent}  `)
      : undefined;
    out.push(block ? ` ${block}` : ` ${scalarString(value)}\n`);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    out.push(` ${String(value)}\n`);
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
      return;
    }
    out.push('\n');
    for (const item of value) {
      out.push(`${indent}  -`);
      emitItem(item, `${indent}  `, out);
    }
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    if (entries.length === 0) {
      out.push(' {}\n');
      return;
    }
    out.push('\n');
    for (const [k, v] of entries) {
      out.push(`${indent}  ${key(k)}:`);
      emit(v, `${indent}  `, out);
    }
  } else {
    throw new TypeError(`cannot emit ${typeof value} as YAML`);
  }
}

/** A sequence item: maps start on the dash line ("- a: 1"), their other keys align under it. */
function emitItem(item: unknown, indent: string, out: string[]): void {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const entries = Object.entries(item as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    if (entries.length === 0) {
      out.push(' {}\n');
      return;
    }
    entries.forEach(([k, v], i) => {
      out.push(i === 0 ? ` ${key(k)}:` : `${indent}  ${key(k)}:`);
      emit(v, `${indent}  `, out);
    });
  } else {
    emit(item, indent, out);
  }
}

/** One YAML document for a plain object. */
export function toYaml(value: Record<string, unknown> | unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError('toYaml expects an object');
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out.push(`${key(k)}:`);
    emit(v, '', out);
  }
  return out.join('');
}

/** Several documents in one file (Kubernetes manifests). */
export function toYamlDocuments(values: unknown[]): string {
  return values.map(v => toYaml(v)).join('---\n');
}
