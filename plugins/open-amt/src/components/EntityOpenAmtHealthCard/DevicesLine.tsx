import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { StatusWarning } from '@backstage/core-components';
import {
  ComponentHealth,
  deviceCountsOf,
  dropAlertOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { LastChecked } from '../shared';

/** "38 of 40 devices connected" under the status; a warning while a device-drop alert is active. Nothing uncounted. */
export function DevicesLine(props: { devices?: ComponentHealth }) {
  const counts = deviceCountsOf(props.devices?.details);
  if (!counts) return null;
  const text = `${counts.connected} of ${counts.total} device${
    counts.total === 1 ? '' : 's'
  } connected`;
  const alert = dropAlertOf(props.devices?.details);
  return (
    <Box mb={1}>
      {alert ? (
        <StatusWarning aria-hidden={false} aria-label={undefined}>
          <Typography
            variant="body2"
            component="span"
            data-testid="devices-line"
          >
            {text}: dropped from {alert.baseline} since{' '}
            <LastChecked at={alert.since} />
          </Typography>
        </StatusWarning>
      ) : (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="devices-line"
        >
          {text}
        </Typography>
      )}
    </Box>
  );
}
