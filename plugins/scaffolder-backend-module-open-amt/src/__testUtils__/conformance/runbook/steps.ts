/**
 * The runbook as the operator reads it: README.md's "Steps left to a human", each numbered step with the commands
 * of its `sh` block(s), the inputs it says the operator brings (`# you provide: …`) and the portal actions it names.
 */
export interface ParsedStep {
  number: number;
  text: string;
  /** The lines of its `sh` blocks, as printed (comments included). */
  commands: string[];
  /** `$VAR` values and `file $VAR` files the operator brings to this step. */
  provides: Array<{ variable: string; file: boolean }>;
  /** Portal actions it tells the operator to run (`open-amt:secrets:provision`…). */
  actions: string[];
}

const SECTION = '## Steps left to a human';

export function parseRunbookSteps(readme: string): ParsedStep[] {
  const start = readme.indexOf(SECTION);
  if (start < 0) return [];
  const rest = readme.slice(start + SECTION.length);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const steps: ParsedStep[] = [];
  let current: ParsedStep | undefined;
  let inBlock = false;
  for (const line of section.split('\n')) {
    const item = /^(\d+)\. (.*)$/.exec(line);
    if (item && !inBlock) {
      current = {
        number: Number(item[1]),
        text: item[2],
        commands: [],
        provides: [],
        actions: [...item[2].matchAll(/`(open-amt:[a-z]+:[a-z]+)`/g)].map(
          m => m[1],
        ),
      };
      steps.push(current);
      continue;
    }
    const fence = /^\s*```(\w*)\s*$/.exec(line);
    if (fence) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock || !current) continue;
    const command = line.replace(/^ {3}/, '');
    current.commands.push(command);
    const provide = /^# you provide: (file )?\$([A-Z_][A-Z0-9_]*)/.exec(
      command,
    );
    if (provide)
      current.provides.push({
        variable: provide[2],
        file: Boolean(provide[1]),
      });
  }
  return steps;
}
