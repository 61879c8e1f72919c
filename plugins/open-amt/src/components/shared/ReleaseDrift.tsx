import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { StatusOK, StatusWarning } from '@backstage/core-components';
import type { DeploymentDriftSummary } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * One line: the deployment's release, a "Behind" chip when a newer release is supported, and how many items drifted
 * ("Release v2.26.0 — behind v2.37.0 · Drifted: 2"). Texts and aria-labels are stable: browser scenarios look for them.
 */
export function ReleaseDrift(props: { drift?: DeploymentDriftSummary }) {
  const { drift } = props;
  if (!drift) return null;
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
      data-testid="release-drift"
    >
      {drift.behind ? (
        <StatusWarning>
          <Typography variant="body2" component="span">
            Release {drift.release} — behind {drift.latestRelease}
          </Typography>
        </StatusWarning>
      ) : (
        <StatusOK>
          <Typography variant="body2" component="span">
            Release {drift.release}
          </Typography>
        </StatusOK>
      )}
      {drift.behind && (
        <Chip
          size="small"
          color="secondary"
          label="Behind"
          aria-label={`Behind the newest release ${drift.latestRelease}`}
        />
      )}
      {drift.driftedCount > 0 && (
        <Chip
          size="small"
          variant="outlined"
          label={`Drifted: ${drift.driftedCount}`}
          aria-label={`Drifted: ${drift.driftedCount}`}
        />
      )}
    </Box>
  );
}
