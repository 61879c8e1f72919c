import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  DeploymentDrift,
  DriftKind,
  DriftState,
} from '@open-amt-backstage/plugin-open-amt-common';
import { ReleaseDrift } from '../shared';

/** Headings of the drift items; stable for browser scenarios. */
export const DRIFT_KIND_LABELS: Record<DriftKind, string> = {
  release: 'Toolkit release',
  serviceVersion: 'Service versions',
  schema: 'Database schema',
  gatewayRoutes: 'Gateway routes',
};

export const DRIFT_STATE_LABELS: Record<DriftState, string> = {
  current: 'Current',
  behind: 'Behind',
  drifted: 'Drifted',
  notCheckable: 'Not checkable',
};

function DriftStateIndicator(props: { state: DriftState }) {
  const label = DRIFT_STATE_LABELS[props.state];
  switch (props.state) {
    case 'current':
      return <StatusOK>{label}</StatusOK>;
    case 'behind':
    case 'drifted':
      return <StatusWarning>{label}</StatusWarning>;
    case 'notCheckable':
      return <StatusPending>{label}</StatusPending>;
    default: {
      const unknownState: never = props.state;
      return <>{String(unknownState)}</>;
    }
  }
}

/** Each drift item of the deployment: what was compared, what was found, and the action that fixes it. */
export function DeploymentDriftPanel(props: { drift?: DeploymentDrift }) {
  const { drift } = props;
  return (
    <InfoCard title="Drift">
      {!drift ? (
        <Typography variant="body2" color="textSecondary">
          Drift is known once the deployment has been probed.
        </Typography>
      ) : (
        <>
          <ReleaseDrift drift={drift} />
          <List dense aria-label="Drift items">
            {drift.items.map(item => (
              <ListItem
                key={item.kind}
                divider
                alignItems="flex-start"
                data-testid={`drift-item-${item.kind}`}
              >
                <ListItemText
                  disableTypography
                  primary={
                    <Typography variant="subtitle2" component="div">
                      {DRIFT_KIND_LABELS[item.kind]}:{' '}
                      <DriftStateIndicator state={item.state} />
                    </Typography>
                  }
                  secondary={
                    <>
                      <Typography variant="body2" color="textSecondary">
                        {item.explanation}
                      </Typography>
                      {item.fix && (
                        <Typography variant="body2">
                          <strong>Fix:</strong> {item.fix}
                        </Typography>
                      )}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
