/**
 * How ESPv2 (v2.51.0, the image we render) turns the Swagger paths into Envoy routes, and how its path_rewrite filter
 * builds the backend path, ported from its source (GoogleCloudPlatform/esp-v2 at tag v2.51.0):
 * - src/go/util/httppattern/uri_template.go:154-177 `Regex()`: each segment is `/` + `[^\/]+` for `*`, `.*` for `**`,
 *   else the literal; then an optional trailing slash `\/?`; anchored. util.go:11-31 for the two wildcards. So
 *   `/activate/{path=**}` is `^/activate/.*\/?$`, which `/activate` does not match.
 * - src/go/configgenerator/routegen/helpers/backend_route.go:150-186: a template without wildcards is an exact `path`
 *   route for the path and the path with `/` (the same set the regex takes).
 * - src/go/util/httppattern/sort_impl.go:139-222: routes are ordered by a trie walk: at each node its own methods,
 *   then literal children (alphabetical), then `*`, then `**` (a verb is one more part, its text); a `**` node lists its children before itself.
 * - src/envoy/http/path_rewrite/config_parser_impl.cc:51-78,112-140: APPEND_PATH_TO_ADDRESS sends the address's
 *   path (one trailing `/` removed, even a lone `/`) followed by the whole request path, query included;
 *   CONSTANT_ADDRESS sends the address's path (trailing `/` removed unless it is `/`), the original query, then the
 *   path variables as query parameters. src/go/configgenerator/filtergen/path_rewrite.go:157-175: an address without
 *   a path has no rewrite for APPEND (the request path as it is), `/` for CONSTANT.
 * The test vectors in espPathTemplates.test.ts are ESPv2's own (uri_template_test.go TestUriTemplateRegex, sort_test.go
 * TestSort, config_parser_impl_test.cc).
 */

export interface EspTemplate {
  template: string;
  /** `*`, `**` or a literal, one per path segment. */
  segments: string[];
  variables: string[];
  verb?: string;
}

/** The segments of a template: `{x}` is `*`, `{x=a/*}` its pattern's segments, a literal itself. */
export function parseEspTemplate(template: string): EspTemplate {
  let rest = template;
  let verb: string | undefined;
  const verbMatch = /:([A-Za-z0-9_.-]+)$/.exec(rest);
  if (verbMatch && rest.lastIndexOf('}') < verbMatch.index) {
    verb = verbMatch[1];
    rest = rest.slice(0, verbMatch.index);
  }
  const segments: string[] = [];
  const variables: string[] = [];
  for (const [, variable, literal] of rest.matchAll(
    /\/(?:\{([^}]*)\}|([^/{]*))/g,
  )) {
    if (variable === undefined) {
      if (literal) segments.push(literal);
      continue;
    }
    const [name, pattern] = variable.split('=');
    variables.push(name);
    segments.push(...(pattern ? pattern.split('/') : ['*']));
  }
  return { template, segments, variables, verb };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The Envoy route regex of uri_template.go Regex() (disallowColonInWildcardPathSegment off, ESPv2's default). */
export function espRouteRegex(template: string): string {
  const t = parseEspTemplate(template);
  const body = t.segments
    .map(s => {
      if (s === '*') return '/[^\\/]+';
      if (s === '**') return '/.*';
      return `/${escape(s)}`;
    })
    .join('');
  return `^${body}\\/?${t.verb ? `:${t.verb}` : ''}$`;
}

interface Node {
  here: string[];
  children: Map<string, Node>;
}

/** ESPv2's route order over the templates (sort_impl.go traverse). */
export function espRouteOrder(templates: string[]): string[] {
  const root: Node = { here: [], children: new Map() };
  for (const template of templates) {
    const t = parseEspTemplate(template);
    let node = root;
    for (const s of [...t.segments, ...(t.verb ? [t.verb] : [])]) {
      if (!node.children.has(s))
        node.children.set(s, { here: [], children: new Map() });
      node = node.children.get(s)!;
    }
    node.here.push(template);
  }
  const order: string[] = [];
  const walk = (node: Node, wildcard: boolean) => {
    const children = () => {
      const keys = [...node.children.keys()];
      const literal = keys.filter(k => k !== '*' && k !== '**').sort();
      for (const k of [...literal, '*', '**'])
        if (node.children.has(k)) walk(node.children.get(k)!, k === '**');
    };
    if (wildcard) {
      children();
      order.push(...node.here);
    } else {
      order.push(...node.here);
      children();
    }
  };
  walk(root, false);
  return order;
}

export interface EspMatch {
  template: string;
  /** Variable bindings in template order (what CONSTANT_ADDRESS appends as query parameters). */
  params: Array<[string, string]>;
}

/** Variable bindings of a matching path (each variable takes the segments its pattern spans). */
function bindings(t: EspTemplate, path: string): Array<[string, string]> {
  const parts = path.replace(/\/$/, '').split('/').slice(1);
  const out: Array<[string, string]> = [];
  const rest = t.template.replace(/:[A-Za-z0-9_.-]+$/, '');
  let i = 0;
  for (const [, variable, literal] of rest.matchAll(
    /\/(?:\{([^}]*)\}|([^/{]*))/g,
  )) {
    if (variable === undefined) {
      if (literal) i += 1;
      continue;
    }
    const [name, pattern] = variable.split('=');
    const span = pattern ? pattern.split('/') : ['*'];
    const take = span.includes('**')
      ? parts.length - i - (t.segments.length - (i + span.length))
      : span.length;
    out.push([name, parts.slice(i, i + take).join('/')]);
    i += take;
  }
  return out;
}

/** The first route, in ESPv2's order, whose regex matches the path (query excluded) and that `accepts` (its method). */
// Cached: the suite routes ~100 requests through each rendered document (bench:render's median).
const orders = new Map<string, string[]>();
const regexes = new Map<string, RegExp>();

export function espMatch(
  templates: string[],
  path: string,
  accepts: (template: string) => boolean = () => true,
): EspMatch | undefined {
  const key = templates.join('\n');
  let order = orders.get(key);
  if (!order) orders.set(key, (order = espRouteOrder(templates)));
  for (const template of order) {
    let regex = regexes.get(template);
    if (!regex)
      regexes.set(template, (regex = new RegExp(espRouteRegex(template))));
    if (!regex.test(path)) continue;
    if (!accepts(template)) continue;
    return { template, params: bindings(parseEspTemplate(template), path) };
  }
  return undefined;
}

/** The path (with query) ESPv2 sends the backend: config_parser_impl.cc rewrite() / constPath(). */
export function espBackendPath(
  translation: 'APPEND_PATH_TO_ADDRESS' | 'CONSTANT_ADDRESS',
  addressPath: string,
  request: string,
  params: Array<[string, string]> = [],
): string {
  if (translation === 'APPEND_PATH_TO_ADDRESS')
    return `${addressPath.replace(/\/$/, '')}${request}`;
  // An empty path is `/` (path_rewrite.go:163-165); one trailing `/` goes unless the path is `/` itself.
  const base = addressPath.replace(/(.)\/$/, '$1') || '/';
  const [, ...q] = request.split('?');
  const extracted = params
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const query = [q.join('?'), extracted].filter(Boolean).join('&');
  return query ? `${base}?${query}` : base;
}
