import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

export interface RecordedAuditEvent {
  options: AuditorServiceCreateEventOptions;
  outcome?:
    | { type: 'success'; meta?: JsonObject }
    | { type: 'fail'; meta?: JsonObject; error: Error };
}

/** An auditor recording each event with how it ended. */
export function recordingAuditor(): {
  auditor: AuditorService;
  events: RecordedAuditEvent[];
} {
  const events: RecordedAuditEvent[] = [];
  const auditor: AuditorService = {
    createEvent: async options => {
      const event: RecordedAuditEvent = { options };
      events.push(event);
      return {
        success: async o => {
          event.outcome = { type: 'success', meta: o?.meta };
        },
        fail: async o => {
          event.outcome = { type: 'fail', meta: o.meta, error: o.error };
        },
      };
    },
  };
  return { auditor, events };
}
