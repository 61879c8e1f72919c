import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { SupportLevel } from '@open-amt-backstage/plugin-open-amt-common';

const EXPLANATIONS: Record<SupportLevel, string> = {
  native:
    'Native: the upstream MPS and RPS images run with this choice as they are.',
  custom:
    'Custom: MPS and RPS need a custom provider compiled in (toolkit Database/Secrets guides).',
};

/** native / custom as a labelled chip (text, not colour, carries the meaning). */
export function SupportLevelChip(props: { level: SupportLevel }) {
  return (
    <Tooltip title={EXPLANATIONS[props.level] ?? props.level}>
      <Chip
        size="small"
        variant={props.level === 'native' ? 'outlined' : 'default'}
        label={props.level === 'native' ? 'native' : 'custom'}
        data-testid={`support-level-${props.level}`}
      />
    </Tooltip>
  );
}
