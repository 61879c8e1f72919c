import type { RenderedOutput } from '../output';

/** Whether one line of the runbook (a step) names every needle: how a certificate is provisioned or required as input. */
export function runbookStepNames(
  out: RenderedOutput,
  ...needles: string[]
): boolean {
  return (out.file('README.md') ?? '')
    .split('\n')
    .some(line => needles.every(n => line.includes(n)));
}
