import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { Progress } from '@backstage/core-components';
import { COMPONENT_IDS } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * What the card shows until the first answer: a line saying so and one placeholder row per component, so
 * the card has its final shape at once. (Progress alone stays hidden for its first moments: an empty box.)
 */
export function HealthCardSkeleton(props: { deploymentName: string }) {
  return (
    <Box data-testid="health-card-loading">
      <Typography variant="body2" color="textSecondary">
        Loading the health of deployment {props.deploymentName}…
      </Typography>
      <Progress aria-label="Loading the deployment's health" />
      {COMPONENT_IDS.map(id => (
        <Box key={id} display="flex" style={{ gap: 16 }} mt={1}>
          <Skeleton variant="text" width="30%" />
          <Skeleton variant="text" width="20%" />
          <Skeleton variant="text" width="40%" />
        </Box>
      ))}
    </Box>
  );
}
