import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ProviderKind } from '@open-amt-backstage/plugin-open-amt-common';
import { useProviderRegistry } from '../../hooks/useProviderRegistry';
import { SupportLevelChip } from '../shared';
import { OpenAmtProviderPickerProps } from './schema';

const useStyles = makeStyles(theme => ({
  option: {
    alignItems: 'flex-start',
    marginBottom: theme.spacing(1),
  },
  radio: { paddingTop: theme.spacing(0.5) },
  title: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

const KIND_TITLES: Record<ProviderKind, string> = {
  database: 'Database',
  secrets: 'Secrets store',
  gateway: 'API gateway',
};

/**
 * Scaffolder field: choose the provider for one replaceable part. Every option shows its readable
 * name, its support level (native / kit / custom) — or "Not production-ready" instead when it has a limitation —
 * and what the choice implies; the value is the provider id. The options are the backend's registry (providers
 * adopters' modules added included); common's built-in list stands in while it loads or when it cannot be read.
 */
export function OpenAmtProviderPicker(props: OpenAmtProviderPickerProps) {
  const classes = useStyles();
  const {
    onChange,
    formData,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
    disabled,
    readonly,
  } = props;
  const kind = uiSchema?.['ui:options']?.kind ?? 'database';
  const registry = useProviderRegistry();
  const providers = registry.list(kind);
  const title = schema?.title ?? KIND_TITLES[kind];
  const id = idSchema?.$id ?? `open-amt-provider-${kind}`;

  return (
    <FormControl
      component="fieldset"
      required={required}
      error={!!rawErrors?.length}
      disabled={disabled || readonly}
      margin="normal"
      fullWidth
    >
      <FormLabel component="legend" id={`${id}-label`}>
        {title}
      </FormLabel>
      {schema?.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
      {registry.source === 'failed' && (
        <FormHelperText data-testid={`${id}-built-in-only`}>
          The portal's provider list could not be read, so only the built-in
          providers are shown; reload the page to see providers your portal's
          modules add.
        </FormHelperText>
      )}
      <RadioGroup
        aria-labelledby={`${id}-label`}
        name={id}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
      >
        {providers.map(p => (
          <FormControlLabel
            key={p.id}
            value={p.id}
            className={classes.option}
            control={
              <Radio
                className={classes.radio}
                inputProps={{ 'aria-describedby': `${id}-${p.id}-implication` }}
              />
            }
            label={
              <Box>
                <span className={classes.title}>
                  <Typography variant="body1" component="span">
                    {p.label}
                  </Typography>
                  <SupportLevelChip
                    level={p.supportLevel}
                    limitation={p.limitation}
                  />
                </span>
                <Typography
                  variant="body2"
                  color="textSecondary"
                  id={`${id}-${p.id}-implication`}
                >
                  {p.implication}
                </Typography>
                {p.limitation && (
                  <Typography
                    variant="body2"
                    color="error"
                    data-testid={`limitation-${p.id}`}
                  >
                    {p.limitation}
                  </Typography>
                )}
                {p.notVerified && (
                  <Typography
                    variant="body2"
                    color="textSecondary"
                    data-testid={`not-verified-${p.id}`}
                  >
                    Not verified: {p.notVerified}
                  </Typography>
                )}
              </Box>
            }
          />
        ))}
      </RadioGroup>
      {rawErrors?.map(error => (
        <FormHelperText key={error}>{error}</FormHelperText>
      ))}
    </FormControl>
  );
}
