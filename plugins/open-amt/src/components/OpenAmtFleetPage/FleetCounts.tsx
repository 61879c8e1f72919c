import {
  FLEET_ATTENTION_FILTERS,
  FLEET_DRIFT_FILTERS,
  FleetAttentionFilter,
  FleetDriftFilter,
  FleetPage,
  HEALTH_STATUSES,
  HealthStatus as Status,
} from '@open-amt-backstage/plugin-open-amt-common';
import { StatusWarning } from '@backstage/core-components';
import { HealthStatus, STATUS_LABELS } from '../HealthStatus';
import { FilterCounts } from './FilterCounts';
import { FleetFilterValues } from './FleetFilters';

/** Button texts (with their counts) of the fleet's drift filters; stable for browser scenarios. */
export const DRIFT_FILTER_LABELS: Record<FleetDriftFilter, string> = {
  behind: 'Behind newest release',
  drifted: 'Drifted',
};

/** Button texts (with their counts) of the fleet's attention filters; stable for browser scenarios. */
export const ATTENTION_FILTER_LABELS: Record<FleetAttentionFilter, string> = {
  'certificates-expiring': 'Certificates expiring',
  'devices-dropped': 'Devices dropped',
};

type CountedFilters = Pick<FleetFilterValues, 'status' | 'drift' | 'attention'>;

/** The fleet's counted filters: per status, per drift and per attention, as the backend counted them. */
export function FleetCounts(props: {
  page?: FleetPage;
  value: CountedFilters;
  onToggle: <K extends keyof CountedFilters>(
    key: K,
    filter: CountedFilters[K][number],
  ) => void;
}) {
  const { page, value, onToggle } = props;
  return (
    <>
      <FilterCounts<Status>
        label="Deployments per status"
        filters={HEALTH_STATUSES}
        counts={page?.counts}
        selected={value.status}
        onToggle={s => onToggle('status', s)}
        testId={s => `fleet-count-${s}`}
        render={(s, count) => (
          <HealthStatus status={s} label={`${STATUS_LABELS[s]}: ${count}`} />
        )}
      />
      <FilterCounts<FleetDriftFilter>
        label="Deployments per drift"
        filters={FLEET_DRIFT_FILTERS}
        counts={page?.driftCounts}
        selected={value.drift}
        onToggle={d => onToggle('drift', d)}
        testId={d => `fleet-drift-${d}`}
        render={(d, count) => `${DRIFT_FILTER_LABELS[d]}: ${count}`}
      />
      <FilterCounts<FleetAttentionFilter>
        label="Deployments needing attention"
        filters={FLEET_ATTENTION_FILTERS}
        counts={page?.attentionCounts}
        selected={value.attention}
        onToggle={a => onToggle('attention', a)}
        testId={a => `fleet-attention-${a}`}
        render={(a, count) => {
          const text = `${ATTENTION_FILTER_LABELS[a]}: ${count}`;
          // The warning mark only where something needs attention; the text says it either way.
          return count > 0 ? (
            <StatusWarning aria-hidden={false} aria-label={undefined}>
              {text}
            </StatusWarning>
          ) : (
            text
          );
        }}
      />
    </>
  );
}
