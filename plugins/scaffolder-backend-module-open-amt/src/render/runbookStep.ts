/**
 * A runbook step as data: what the operator does, and the shell commands that do it. README.md prints the commands
 * as a `sh` block under the step, so what the operator reads is what the conformance harness runs, in order.
 */
export interface RunbookStep {
  text: string;
  /**
   * Commands run from the repository's root, in order. `# you provide: $VAR — …` names a value the operator brings,
   * `# you provide: file $VAR — …` a file whose path is in $VAR (their own certificate, their CA bundle).
   */
  commands?: string[];
}

/** Providers may still contribute prose-only steps as strings. */
export type RunbookStepInput = string | RunbookStep;

export const asRunbookStep = (step: RunbookStepInput): RunbookStep =>
  typeof step === 'string' ? { text: step } : step;

/** The numbered list, each step's commands fenced below it (indented, so Markdown keeps them in the item). */
export function formatRunbookSteps(steps: RunbookStep[]): string[] {
  return steps.flatMap((step, i) => [
    `${i + 1}. ${step.text}`,
    ...(step.commands?.length
      ? ['', '   ```sh', ...step.commands.map(c => `   ${c}`), '   ```', '']
      : []),
  ]);
}

/** `# you provide: …` lines (see RunbookStep.commands). */
export const youProvide = (what: string, why: string) =>
  `# you provide: ${what} — ${why}`;
