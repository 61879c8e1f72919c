import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  FLEET_DRIFT_FILTERS,
  FleetDriftFilter,
} from '@open-amt-backstage/plugin-open-amt-common';

/** Button texts (with their counts) of the fleet's drift filters; stable for browser scenarios. */
export const DRIFT_FILTER_LABELS: Record<FleetDriftFilter, string> = {
  behind: 'Behind newest release',
  drifted: 'Drifted',
};

/** Deployments behind the newest release / drifted, counted by the backend; each toggles its filter. */
export function DriftCounts(props: {
  counts?: Record<FleetDriftFilter, number>;
  selected: FleetDriftFilter[];
  onToggle: (filter: FleetDriftFilter) => void;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      mb={2}
      aria-label="Deployments per drift"
      role="group"
    >
      {FLEET_DRIFT_FILTERS.map(filter => {
        const count = props.counts?.[filter] ?? 0;
        const pressed = props.selected.includes(filter);
        return (
          <Button
            key={filter}
            variant={pressed ? 'contained' : 'outlined'}
            aria-pressed={pressed}
            onClick={() => props.onToggle(filter)}
            data-testid={`fleet-drift-${filter}`}
          >
            {`${DRIFT_FILTER_LABELS[filter]}: ${count}`}
          </Button>
        );
      })}
    </Box>
  );
}
