import type { Entity } from '@backstage/catalog-model';
import {
  ComponentHealth,
  ComponentId,
  describeToolkitRelease,
  OPEN_AMT_ANNOTATIONS,
  TOOLKIT_RELEASES,
  UNANNOTATED_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';

const TOOLKIT_SERVICES: readonly ComponentId[] = [
  'mps',
  'rps',
  'mpsrouter',
  'webui',
];
const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;
const bare = (version: string) => version.replace(/^v/i, '');

/**
 * The deployment's toolkit release: the System's annotation (absent = v2.26.0, as the health engine reads it),
 * or, on a part's page, what the probes judged it by.
 */
export function toolkitReleaseOf(
  entity: Entity,
  components: ComponentHealth[],
): string | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    return (
      text(
        entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.toolkitRelease],
      ) ?? UNANNOTATED_TOOLKIT_RELEASE.id
    );
  }
  for (const c of components) {
    const release = text(c.details?.toolkitRelease);
    if (release) return release;
  }
  return undefined;
}

/** `v2.37.0 (2026-08): mps 2.34.1, …` for a release this portal knows, the bare id otherwise. */
export function releaseDescription(id: string): string {
  const release = TOOLKIT_RELEASES.find(r => r.id === id);
  return release
    ? describeToolkitRelease(release)
    : `${id} (not known to this portal)`;
}

/** For a toolkit service row: the version its probe read next to the one the release pins. */
export function versionLineOf(
  row: Pick<ComponentHealth, 'component' | 'details'>,
): string | undefined {
  if (!TOOLKIT_SERVICES.includes(row.component)) return undefined;
  const running = text(row.details?.version);
  const expected = text(row.details?.expectedVersion);
  if (running && expected)
    return `v${bare(running)} (release expects v${bare(expected)})`;
  if (expected) return `release expects v${bare(expected)}`;
  return running ? `v${bare(running)}` : undefined;
}
