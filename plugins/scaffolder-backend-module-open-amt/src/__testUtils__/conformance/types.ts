import type { RenderedOutput } from './output';

/**
 * One behaviour rule: what the real client, kubelet, controller or gateway does with the rendered files. `fact`
 * says it in a sentence; `source` names the upstream or vendor document it models.
 */
export interface ConformanceRule {
  id: string;
  fact: string;
  source: string;
  /** Violations, one sentence each naming the file and what would fail; empty when the output conforms. */
  check(out: RenderedOutput): string[];
}
