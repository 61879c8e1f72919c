import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { formatExact, formatRelative } from '../../lib/time';

const useStyles = makeStyles({
  // Read by screen readers, not shown: the exact time the tooltip shows on hover.
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
});

/** Relative time ("2 minutes ago") with the exact time on hover (and for screen readers). */
export function LastChecked(props: { at?: string }) {
  const classes = useStyles();
  if (!props.at) return <span>never</span>;
  const exact = formatExact(props.at);
  return (
    <Tooltip title={exact}>
      <time dateTime={props.at}>
        {formatRelative(props.at)}
        <span className={classes.visuallyHidden}> ({exact})</span>
      </time>
    </Tooltip>
  );
}
