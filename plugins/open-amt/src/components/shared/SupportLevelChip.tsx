import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import {
  asSupportLevel,
  SupportLevel,
  supportLevelMeaning,
} from '@open-amt-backstage/plugin-open-amt-common';

const capitalized = (text: string) =>
  text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);

/**
 * native / kit / custom as a labelled chip (text, not colour, carries the meaning); the tooltip says what the level
 * means in the registry's words, e.g. "Kit: provider supplied by this project, built into the MPS/RPS images by your
 * deployment repository". A provider with a `limitation` (a choice that does not fully work) gets a "Not
 * production-ready" chip instead, its tooltip the limitation: such a row is not "native", whatever its level.
 */
export function SupportLevelChip(props: {
  level: SupportLevel;
  limitation?: string;
}) {
  if (props.limitation) {
    return (
      <Tooltip title={props.limitation}>
        <Chip
          size="small"
          color="secondary"
          label="Not production-ready"
          data-testid="support-level-not-production-ready"
        />
      </Tooltip>
    );
  }
  const label = capitalized(String(props.level));
  // A level this portal does not know (an older or newer backend) is shown as it came, without a meaning.
  const known = asSupportLevel(props.level);
  return (
    <Tooltip title={known ? `${label}: ${supportLevelMeaning(known)}` : label}>
      <Chip
        size="small"
        variant={props.level === 'native' ? 'outlined' : 'default'}
        label={label}
        data-testid={`support-level-${props.level}`}
      />
    </Tooltip>
  );
}
