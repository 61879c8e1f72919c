import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * Runs a mutation as one audit event: created before it starts (who, what, where), then success with what
 * changed or failure with the error. Meta carries names, stores, paths and hosts — never values: callers pass
 * only references. Without an auditor (tests, other wiring) the mutation simply runs.
 */
export async function audited<T>(
  auditor: AuditorService | undefined,
  event: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    actor?: string;
    meta: JsonObject;
  },
  mutation: () => Promise<T>,
  outcomeMeta: (result: T) => JsonObject,
): Promise<T> {
  if (!auditor) return mutation();
  const audit = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: event.severityLevel,
    meta: { ...event.meta, actor: event.actor ?? 'unknown' },
  });
  try {
    const result = await mutation();
    await audit.success({ meta: outcomeMeta(result) });
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
