import Typography from '@material-ui/core/Typography';
import { StatusWarning } from '@backstage/core-components';
import {
  ComponentHealth,
  DeviceDropAlert,
  deviceCountsOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { formatExact } from '../../lib/time';

/** The active device-drop alert in words: since when, from what baseline, and when it clears. */
export function DeviceDropNotice(props: {
  alert: DeviceDropAlert;
  devices?: ComponentHealth;
}) {
  const { alert } = props;
  const counts = deviceCountsOf(props.devices?.details);
  return (
    <StatusWarning aria-hidden={false} aria-label={undefined}>
      <Typography
        variant="body2"
        component="span"
        data-testid="devices-drop-alert"
      >
        Connected devices dropped since {formatExact(alert.since)}
        {counts ? ` (now ${counts.connected} of ${counts.total})` : ''}: the
        baseline was {alert.baseline}; the alert clears at {alert.recoverAt}{' '}
        connected.
      </Typography>
    </StatusWarning>
  );
}
