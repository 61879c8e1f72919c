import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  ComponentHealth,
  DRIFT_DETAILS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { driftGroupsOf } from '../../lib/drift';
import { HealthStatus } from '../HealthStatus';

/** What differs between the live gateway and the routes the toolkit needs (details.drift of the probe). */
export function DriftDetails(props: { gateway?: ComponentHealth }) {
  const groups = driftGroupsOf(props.gateway?.details?.drift);
  // The adapter's reason, naming the vendor API and the credential it would need.
  const why = props.gateway?.details?.[DRIFT_DETAILS.routesNotCheckable];
  const routesNotCheckable = typeof why === 'string' ? why : undefined;
  let body;
  if (!props.gateway) {
    body = (
      <Typography variant="body2" color="textSecondary">
        The gateway has not been checked yet.
      </Typography>
    );
  } else if (groups.length === 0) {
    body =
      props.gateway.details && 'drift' in props.gateway.details ? (
        <HealthStatus
          status="healthy"
          label="No drift: the gateway carries every required route."
        />
      ) : (
        <Typography variant="body2" color="textSecondary">
          {routesNotCheckable ??
            'This gateway does not expose its live configuration, so drift cannot be compared.'}
        </Typography>
      );
  } else {
    body = groups.map(group => (
      <div key={group.title}>
        <HealthStatus
          status="degraded"
          label={`${group.title} (${group.items.length})`}
        />
        <List dense disablePadding>
          {group.items.map(item => (
            <ListItem key={item}>
              <ListItemText primary={item} />
            </ListItem>
          ))}
        </List>
      </div>
    ));
  }
  return <InfoCard title="Gateway drift">{body}</InfoCard>;
}
