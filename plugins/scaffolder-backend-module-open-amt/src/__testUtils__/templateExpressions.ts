/**
 * The production template's `${{ … }}` expressions, evaluated against form values the way the scaffolder renders
 * them for the forms the template uses: a path, `a or b`, `a if b`, `not a`, `a === 'x'`, `a and b`. A lone
 * `${{ parameters.x }}` renders to the value itself (json coercion); a missing one, or an empty rendering, to undefined.
 */
export function templateEvaluator(parameters: Record<string, any>) {
  const lookup = (p: string) =>
    p.split('.').reduce<any>((o, k) => o?.[k], { parameters });
  const evaluate = (e: string): any => {
    const cond = /^(.*) if (.*)$/.exec(e);
    if (cond) return evaluate(cond[2]) ? evaluate(cond[1]) : undefined;
    const alternatives = e.split(' or ');
    if (alternatives.length > 1)
      return alternatives.map(evaluate).find(Boolean);
    const all = e.split(' and ');
    if (all.length > 1) return all.every(evaluate);
    if (e.startsWith('not ')) return !evaluate(e.slice(4));
    const equals = /^(.*) === '([^']*)'$/.exec(e);
    if (equals) return evaluate(equals[1]) === equals[2];
    const literal = /^'([^']*)'$/.exec(e);
    if (literal) return literal[1];
    return lookup(e);
  };
  const resolveValue = (v: any): any => {
    if (typeof v === 'string') {
      const m = /^\$\{\{ (.*) \}\}$/.exec(v);
      return m ? evaluate(m[1]) || undefined : v;
    }
    if (Array.isArray(v)) return v.map(resolveValue);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, resolveValue(x)]),
      );
    return v;
  };
  return { evaluate, resolveValue };
}
