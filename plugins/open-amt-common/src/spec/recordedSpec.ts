import { OPEN_AMT_ANNOTATIONS } from '../annotations';

/** The part of a catalog entity the recorded spec is read from. */
export interface EntityWithAnnotations {
  metadata: { name?: string; annotations?: Record<string, string> };
}

/** Why a deployment's recorded spec cannot be used; names the annotation. */
export class RecordedSpecError extends Error {
  name = 'RecordedSpecError';
}

/**
 * The spec a deployment was last rendered from (open-amt.io/deployment-spec), unvalidated: the caller validates it
 * as it validates a form's input. Throws RecordedSpecError when the entity has none (scaffolded before the spec was
 * recorded, or written by hand) or when it is not a JSON object.
 */
export function recordedSpecOf(
  entity: EntityWithAnnotations,
): Record<string, unknown> {
  const key = OPEN_AMT_ANNOTATIONS.deploymentSpec;
  const raw = entity.metadata.annotations?.[key];
  const who = entity.metadata.name ?? 'the entity';
  if (raw === undefined) {
    throw new RecordedSpecError(
      `${who} has no ${key} annotation: it was not rendered by this portal's template (or before the spec was recorded); render it once with the production template under the same name, or add the annotation`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new RecordedSpecError(
      `${who}'s ${key} annotation is not JSON (${(error as Error).message})`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RecordedSpecError(
      `${who}'s ${key} annotation is not a JSON object`,
    );
  }
  return parsed as Record<string, unknown>;
}
