import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  HEALTH_STATUSES,
  HealthStatus as Status,
} from '@open-amt-backstage/plugin-open-amt-common';
import { HealthStatus, STATUS_LABELS } from '../HealthStatus';

/** Deployments per status over the filtered fleet; each count toggles that status filter. */
export function StatusCounts(props: {
  counts?: Record<Status, number>;
  selected: Status[];
  onToggle: (status: Status) => void;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      mb={2}
      aria-label="Deployments per status"
      role="group"
    >
      {HEALTH_STATUSES.map(status => {
        const count = props.counts?.[status] ?? 0;
        const pressed = props.selected.includes(status);
        return (
          <Button
            key={status}
            variant={pressed ? 'contained' : 'outlined'}
            aria-pressed={pressed}
            onClick={() => props.onToggle(status)}
            data-testid={`fleet-count-${status}`}
          >
            <HealthStatus
              status={status}
              label={`${STATUS_LABELS[status]}: ${count}`}
            />
          </Button>
        );
      })}
    </Box>
  );
}
