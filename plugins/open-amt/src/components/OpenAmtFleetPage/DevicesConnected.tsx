import Typography from '@material-ui/core/Typography';
import { StatusWarning } from '@backstage/core-components';
import type { DeploymentDevicesSummary } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * A fleet row's devices: "38/40 connected", marked with a warning and "Devices dropped" while a device-drop alert is
 * active; a dash while MPS has not counted them. Texts are stable: browser scenarios look for them.
 */
export function DevicesConnected(props: {
  devices?: DeploymentDevicesSummary;
}) {
  const { devices } = props;
  if (!devices) return <>—</>;
  const text = `${devices.connected}/${devices.total} connected`;
  if (!devices.dropped)
    return (
      <Typography variant="body2" component="span">
        {text}
      </Typography>
    );
  return (
    <>
      <StatusWarning aria-hidden={false} aria-label={undefined}>
        {text}
      </StatusWarning>
      <Typography variant="caption" color="textSecondary">
        Devices dropped
      </Typography>
    </>
  );
}
