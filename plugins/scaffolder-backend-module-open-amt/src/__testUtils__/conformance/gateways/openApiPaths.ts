/**
 * Which OpenAPI/Swagger path template of a gateway's document a request path selects, matched by path-to-regexp (the
 * matcher express and express-openapi-validator use). Each vendor's dialect translates its templates first: plain
 * `{name}` is one segment everywhere; API Gateway's greedy `{proxy+}` is one or more segments; ESPv2's `{name=**}` is
 * zero or more. Most specific first, as both vendors document: literal paths before templates with variables, a
 * greedy variable last (API Gateway developer guide "Set up a proxy integration with a proxy resource"; Cloud
 * Endpoints "Paths and path templates").
 */
import { match } from 'path-to-regexp';

export interface PathDialect {
  /** The template in path-to-regexp syntax. */
  toPattern(template: string): string;
}

export interface MatchedPath {
  template: string;
  item: Record<string, any>;
  params: Record<string, string>;
}

// Compiled once per pattern: the suite routes ~100 requests through each rendered document (bench:render's median).
const compiled = new Map<string, ReturnType<typeof match>>();
const matcher = (pattern: string) => {
  let fn = compiled.get(pattern);
  if (!fn) compiled.set(pattern, (fn = match(pattern, { decode: false })));
  return fn;
};

const greedy = (template: string) => /\{[^}]*(\+|=\*\*)\}/.test(template);
const literalSegments = (template: string) =>
  template.split('/').filter(s => s && !s.includes('{')).length;

export function matchPath(
  paths: Record<string, any>,
  path: string,
  dialect: PathDialect,
): MatchedPath | undefined {
  const ranked = Object.keys(paths).sort((a, b) => {
    if (greedy(a) !== greedy(b)) return greedy(a) ? 1 : -1;
    return literalSegments(b) - literalSegments(a) || b.length - a.length;
  });
  for (const template of ranked) {
    const found = matcher(dialect.toPattern(template))(path);
    if (!found) continue;
    const params = Object.fromEntries(
      Object.entries(found.params).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.join('/') : String(v),
      ]),
    );
    return { template, item: paths[template], params };
  }
  return undefined;
}
