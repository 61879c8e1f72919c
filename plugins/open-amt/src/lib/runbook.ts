import { Entity } from '@backstage/catalog-model';

export type RunbookLocation =
  | { kind: 'url'; url: string }
  /** A file the catalog reads locally (the demo portal publishes to a folder): shown, not linked. */
  | { kind: 'file'; path: string };

const SOURCE_LOCATION = 'backstage.io/source-location';
const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/**
 * Where the deployment's generated runbook (README.md in the deployment repository) lives:
 * a link titled "Runbook", else README.md at the entity's source location, else beside the
 * catalog-info.yaml the catalog read.
 */
export function runbookLocationOf(entity: Entity): RunbookLocation | undefined {
  const link = entity.metadata.links?.find(l => /runbook/i.test(l.title ?? ''));
  if (link) return { kind: 'url', url: link.url };

  const annotations = entity.metadata.annotations ?? {};
  for (const value of [
    annotations[SOURCE_LOCATION],
    annotations[MANAGED_BY_LOCATION],
  ]) {
    const location = parseLocation(value);
    if (!location) continue;
    if (location.type === 'url' && /^https?:\/\//.test(location.target)) {
      return { kind: 'url', url: readmeBeside(location.target) };
    }
    if (location.type === 'file') {
      return { kind: 'file', path: readmeBeside(location.target) };
    }
  }
  return undefined;
}

function parseLocation(
  value: string | undefined,
): { type: string; target: string } | undefined {
  const match = value?.match(/^([a-z]+):(.+)$/);
  return match ? { type: match[1], target: match[2] } : undefined;
}

/** A folder gets README.md appended; a file (catalog-info.yaml) is replaced by README.md beside it. */
function readmeBeside(target: string): string {
  if (target.endsWith('/')) return `${target}README.md`;
  const last = target.slice(target.lastIndexOf('/') + 1);
  if (/\.(ya?ml|json)$/i.test(last))
    return `${target.slice(0, target.length - last.length)}README.md`;
  return `${target}/README.md`;
}
