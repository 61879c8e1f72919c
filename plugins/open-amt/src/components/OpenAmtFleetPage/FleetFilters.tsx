import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { makeStyles } from '@material-ui/core/styles';
import {
  FleetAttentionFilter,
  FleetDriftFilter,
  HEALTH_STATUSES,
  HealthStatus,
  ProviderKind,
  TARGETS,
  TargetId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { useProviderRegistry } from '../../hooks/useProviderRegistry';
import { ProviderRegistryView } from '../../lib/providerRegistry';
import { STATUS_LABELS } from '../HealthStatus';

export interface FleetFilterValues {
  status: HealthStatus[];
  provider: string[];
  owner: string[];
  target: string[];
  /** Set by the drift count buttons (FleetCounts), not by a field here. */
  drift: FleetDriftFilter[];
  /** Set by the attention count buttons (FleetCounts), not by a field here. */
  attention: FleetAttentionFilter[];
  q: string;
}

export const EMPTY_FILTERS: FleetFilterValues = {
  status: [],
  provider: [],
  owner: [],
  target: [],
  drift: [],
  attention: [],
  q: '',
};

const KINDS: { kind: ProviderKind; label: string }[] = [
  { kind: 'database', label: 'Database' },
  { kind: 'secrets', label: 'Secrets store' },
  { kind: 'gateway', label: 'API gateway' },
];

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  field: { minWidth: 200 },
}));

function providerLabel(registry: ProviderRegistryView, id: string): string {
  for (const { kind } of KINDS) {
    const info = registry.find(kind, id);
    if (info) return info.label;
  }
  return id;
}

/** Status, provider, owner and target filters plus the search box; all applied by the backend. */
export function FleetFilters(props: {
  value: FleetFilterValues;
  onChange: (value: FleetFilterValues) => void;
  knownOwners: string[];
}) {
  const classes = useStyles();
  // The backend's providers, added ones included, so an adopter's fleet filters by them too.
  const registry = useProviderRegistry();
  const { value, onChange } = props;
  const set = <K extends keyof FleetFilterValues>(
    key: K,
    v: FleetFilterValues[K],
  ) => onChange({ ...value, [key]: v });

  return (
    <Box className={classes.root} role="search" aria-label="Filter deployments">
      <TextField
        className={classes.field}
        label="Search name or title"
        variant="outlined"
        size="small"
        value={value.q}
        onChange={e => set('q', e.target.value)}
        inputProps={{ 'data-testid': 'fleet-search' }}
      />
      <FormControl className={classes.field} variant="outlined" size="small">
        <InputLabel id="open-amt-filter-status">Status</InputLabel>
        <Select
          labelId="open-amt-filter-status"
          label="Status"
          multiple
          value={value.status}
          onChange={e => set('status', e.target.value as HealthStatus[])}
          renderValue={v =>
            (v as HealthStatus[]).map(s => STATUS_LABELS[s]).join(', ')
          }
          data-testid="fleet-filter-status"
        >
          {HEALTH_STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              <Checkbox checked={value.status.includes(s)} />
              <ListItemText primary={STATUS_LABELS[s]} />
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl className={classes.field} variant="outlined" size="small">
        <InputLabel id="open-amt-filter-provider">Provider</InputLabel>
        <Select
          labelId="open-amt-filter-provider"
          label="Provider"
          multiple
          value={value.provider}
          onChange={e =>
            // Subheaders have no value; MUI reports them as undefined entries.
            set(
              'provider',
              (e.target.value as (string | undefined)[]).filter(
                Boolean,
              ) as string[],
            )
          }
          renderValue={v =>
            (v as string[]).map(id => providerLabel(registry, id)).join(', ')
          }
          data-testid="fleet-filter-provider"
        >
          {KINDS.flatMap(({ kind, label }) => [
            <ListSubheader key={`header-${kind}`}>{label}</ListSubheader>,
            ...registry.list(kind).map(p => (
              <MenuItem key={p.id} value={p.id}>
                <Checkbox checked={value.provider.includes(p.id)} />
                <ListItemText primary={p.label} secondary={p.supportLevel} />
              </MenuItem>
            )),
          ])}
        </Select>
      </FormControl>
      <Autocomplete
        className={classes.field}
        multiple
        freeSolo
        size="small"
        options={props.knownOwners}
        value={value.owner}
        onChange={(_e, owners) => set('owner', owners as string[])}
        renderInput={params => (
          <TextField
            {...params}
            variant="outlined"
            label="Owner"
            placeholder="group:default/team"
          />
        )}
      />
      <FormControl className={classes.field} variant="outlined" size="small">
        <InputLabel id="open-amt-filter-target">Target</InputLabel>
        <Select
          labelId="open-amt-filter-target"
          label="Target"
          multiple
          value={value.target}
          onChange={e => set('target', e.target.value as string[])}
          renderValue={v =>
            (v as string[])
              .map(t => TARGETS[t as TargetId]?.label ?? t)
              .join(', ')
          }
          data-testid="fleet-filter-target"
        >
          {Object.values(TARGETS).map(t => (
            <MenuItem key={t.id} value={t.id}>
              <Checkbox checked={value.target.includes(t.id)} />
              <ListItemText primary={t.label} />
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </Box>
  );
}
