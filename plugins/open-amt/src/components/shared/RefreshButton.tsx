import { toError } from '@backstage/errors';
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { openAmtDeploymentRefreshPermission } from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef, openAmtApiRef } from '../../api';

/**
 * "Check now": asks the backend to probe the deployment immediately. Rendered only for users holding
 * open-amt.deployment.refresh on this deployment's System; a plain button, so it is reachable and operable by keyboard.
 */
export function RefreshButton(props: {
  deployment: DeploymentRef;
  onRefreshed: () => void;
}) {
  const api = useApi(openAmtApiRef);
  const { allowed, loading } = usePermission({
    permission: openAmtDeploymentRefreshPermission,
    resourceRef: `system:${props.deployment.namespace}/${props.deployment.name}`,
  });
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string>();

  if (loading || !allowed) return null;

  const refresh = async () => {
    setBusy(true);
    setNote(undefined);
    try {
      const outcome = await api.refreshDeployment(props.deployment);
      if (outcome.rateLimited) {
        setNote(
          outcome.retryAfterSeconds
            ? `Checked recently; try again in ${outcome.retryAfterSeconds} s.`
            : 'Checked recently; try again shortly.',
        );
      } else if (!outcome.accepted) {
        setNote('The health engine did not accept the request.');
      } else {
        setNote('Checked just now.');
      }
      props.onRefreshed();
    } catch (e) {
      setNote(`Refresh failed: ${toError(e).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" alignItems="center" flexDirection="column">
      <Button
        size="small"
        variant="outlined"
        startIcon={<RefreshIcon />}
        onClick={refresh}
        disabled={busy}
        aria-label="Check deployment health now"
      >
        {busy ? 'Checking…' : 'Check now'}
      </Button>
      <Typography variant="caption" role="status" aria-live="polite">
        {note}
      </Typography>
    </Box>
  );
}
