import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';

/** Marks stand-in deployments whose endpoints are simulated (demo portal). */
export function SimulatedChip() {
  return (
    <Tooltip title="Demo deployment: its endpoints are simulated, not a real Open AMT installation.">
      <Chip size="small" variant="outlined" label="simulated" />
    </Tooltip>
  );
}
