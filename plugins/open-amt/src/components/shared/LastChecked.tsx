import Tooltip from '@material-ui/core/Tooltip';
import { formatExact, formatRelative } from '../../lib/time';

/** Relative time ("2 minutes ago") with the exact time on hover and keyboard focus. */
export function LastChecked(props: { at?: string }) {
  if (!props.at) return <span>never</span>;
  const exact = formatExact(props.at);
  return (
    <Tooltip title={exact}>
      <time dateTime={props.at} tabIndex={0} aria-label={`${formatRelative(props.at)} (${exact})`}>
        {formatRelative(props.at)}
      </time>
    </Tooltip>
  );
}
