/**
 * What a template's steps call, and what its preflight step checks, read from the template itself: so a test can
 * tell that every action a later step calls is checked before the first side effect.
 */
type Step = { id?: string; action: string; if?: unknown; input?: any };
type Template = { spec: { parameters: any[] | any; steps: Step[] } };

/** The choices `${{ parameters.<name> }}` can take: the enum of that form field, on whichever page declares it. */
function choicesOf(template: Template, name: string): string[] {
  const pages = [template.spec.parameters].flat();
  const found = pages
    .map(p => p.properties?.[name]?.enum as string[] | undefined)
    .find(Boolean);
  if (!found) throw new Error(`no form field ${name} with an enum`);
  return found;
}

/** The action ids a preflight `actions` entry can stand for. */
function entryActions(template: Template, entry: string): string[] {
  // `${{ parameters.x }}`, or `${{ parameters.x if … }}`: any choice of that field.
  const field = /^\$\{\{ parameters\.(\w+)(?: if .+)? \}\}$/.exec(entry);
  if (field) return choicesOf(template, field[1]);
  const conditional = /^\$\{\{ '([^']+)' if .+ \}\}$/.exec(entry);
  if (conditional) return [conditional[1]];
  if (entry.includes('${{')) throw new Error(`unread entry ${entry}`);
  return [entry];
}

/** Actions a step after the preflight calls that the preflight does not check (empty when it checks them all). */
export function uncheckedActions(template: Template): string[] {
  const [first, ...later] = template.spec.steps;
  if (first?.action !== 'open-amt:preflight')
    return template.spec.steps.map(s => s.action);
  const checked = new Set(
    (first.input.actions as string[]).flatMap(e => entryActions(template, e)),
  );
  return [...new Set(later.map(s => s.action))].filter(a => !checked.has(a));
}
