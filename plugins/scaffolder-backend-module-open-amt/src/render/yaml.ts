import { stringify } from 'yaml';

/** YAML as people write it: no line folding, no anchors, so files diff and grep well. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Several documents in one file (Kubernetes manifests). */
export function toYamlDocuments(values: unknown[]): string {
  return values.map(v => toYaml(v)).join('---\n');
}
