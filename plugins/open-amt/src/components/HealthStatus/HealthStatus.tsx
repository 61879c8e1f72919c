import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { HealthStatus as Status } from '@open-amt-backstage/plugin-open-amt-common';

export const STATUS_LABELS: Record<Status, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
};

const INDICATORS = {
  healthy: StatusOK,
  degraded: StatusWarning,
  down: StatusError,
  unknown: StatusPending,
} as const;

/**
 * A status as icon + text, never colour alone. The core indicators hide themselves from assistive
 * technology by default; the text here is the accessible name, so they are un-hidden.
 */
export function HealthStatus(props: { status: Status; label?: string }) {
  const Indicator = INDICATORS[props.status] ?? StatusPending;
  return (
    <Indicator aria-hidden={false} aria-label={undefined}>
      {props.label ?? STATUS_LABELS[props.status] ?? props.status}
    </Indicator>
  );
}
