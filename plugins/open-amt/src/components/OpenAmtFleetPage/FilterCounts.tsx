import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/**
 * One group of toggle buttons over the fleet, each showing how many deployments the backend counted for it (status,
 * drift, attention); pressing one toggles its filter.
 */
export function FilterCounts<T extends string>(props: {
  /** The group's accessible name. */
  label: string;
  filters: readonly T[];
  counts?: Record<T, number>;
  selected: readonly T[];
  onToggle: (filter: T) => void;
  /** Stable ids for browser scenarios, e.g. `fleet-drift-${filter}`. */
  testId: (filter: T) => string;
  render: (filter: T, count: number) => ReactNode;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      mb={2}
      aria-label={props.label}
      role="group"
    >
      {props.filters.map(filter => {
        const count = props.counts?.[filter] ?? 0;
        const pressed = props.selected.includes(filter);
        return (
          <Button
            key={filter}
            variant={pressed ? 'contained' : 'outlined'}
            aria-pressed={pressed}
            onClick={() => props.onToggle(filter)}
            data-testid={props.testId(filter)}
          >
            {props.render(filter, count)}
          </Button>
        );
      })}
    </Box>
  );
}
