import Alert from '@material-ui/lab/Alert';
import { formatRelative } from '../../lib/time';
import { STALE_AFTER_INTERVALS } from '../../lib/stale';

/** Says plainly that the numbers shown are old (the health engine has not reported for a while). */
export function StaleNotice(props: {
  checkedAt: string;
  intervalSeconds: number;
}) {
  return (
    <Alert severity="warning" data-testid="stale-notice">
      Stale data: last checked {formatRelative(props.checkedAt)}, more than{' '}
      {STALE_AFTER_INTERVALS} probe intervals ({props.intervalSeconds} s each)
      ago. The health engine may be stopped or unable to reach the deployment.
    </Alert>
  );
}
