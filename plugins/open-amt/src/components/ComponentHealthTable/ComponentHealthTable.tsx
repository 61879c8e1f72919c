import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  COMPONENT_LABELS,
  providerInfoOf,
  providerLabelOf,
} from '../../lib/labels';
import { versionLineOf } from '../../lib/release';
import { useProviderRegistry } from '../../hooks/useProviderRegistry';
import { formatLatency } from '../../lib/time';
import { HealthStatus } from '../HealthStatus';
import { LastChecked, SupportLevelChip } from '../shared';

const useStyles = makeStyles(theme => ({
  highlighted: {
    backgroundColor: theme.palette.action.selected,
  },
  // Short columns must not wrap letter by letter in a half-width card.
  nowrap: {
    whiteSpace: 'nowrap',
  },
  provider: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

/** Rows in the toolkit's order; a component the backend did not report shows as unknown. */
export function rowsInOrder(
  components: ComponentHealth[],
): (ComponentHealth | { component: ComponentId; missing: true })[] {
  return COMPONENT_IDS.map(
    id =>
      components.find(c => c.component === id) ?? {
        component: id,
        missing: true as const,
      },
  );
}

export interface ComponentHealthTableProps {
  components: ComponentHealth[];
  /** The component of the entity on screen (a Component/Resource page), marked in the table. */
  highlight?: ComponentId;
  caption?: string;
}

/** One row per component: status (icon + text), provider and support level, latency, last check, message. */
export function ComponentHealthTable(props: ComponentHealthTableProps) {
  const classes = useStyles();
  // Labels, levels and limitations of the providers the backend knows, added ones included.
  const registry = useProviderRegistry();
  return (
    <Table size="small" aria-label={props.caption ?? 'Component health'}>
      <TableHead>
        <TableRow>
          <TableCell>Component</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right" className={classes.nowrap}>
            Latency
          </TableCell>
          <TableCell className={classes.nowrap}>Last checked</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rowsInOrder(props.components).map(row => {
          const highlighted = row.component === props.highlight;
          const info =
            'missing' in row ? undefined : providerInfoOf(row, registry);
          return (
            <TableRow
              key={row.component}
              data-testid={`component-row-${row.component}`}
              className={highlighted ? classes.highlighted : undefined}
              aria-current={highlighted ? 'true' : undefined}
            >
              <TableCell component="th" scope="row">
                <Typography variant="body2" component="div">
                  <strong>{COMPONENT_LABELS[row.component]}</strong>
                  {highlighted && ' (this entity)'}
                </Typography>
                {'missing' in row ? null : (
                  <Box className={classes.provider}>
                    <Typography variant="caption" color="textSecondary">
                      {providerLabelOf(row, registry)}
                    </Typography>
                    {info ? (
                      <SupportLevelChip
                        level={info.supportLevel}
                        limitation={info.limitation}
                      />
                    ) : null}
                  </Box>
                )}
                {!info?.limitation ? null : (
                  <Typography
                    variant="caption"
                    color="error"
                    component="div"
                    data-testid={`component-limitation-${row.component}`}
                  >
                    {info.limitation}
                  </Typography>
                )}
                {!info?.notVerified ? null : (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                    data-testid={`component-not-verified-${row.component}`}
                  >
                    Not verified: {info.notVerified}
                  </Typography>
                )}
                {'missing' in row || !versionLineOf(row) ? null : (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                    data-testid={`component-version-${row.component}`}
                  >
                    {versionLineOf(row)}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {'missing' in row ? (
                  <>
                    <HealthStatus status="unknown" />
                    <Typography variant="caption" color="textSecondary">
                      Not reported by the health engine.
                    </Typography>
                  </>
                ) : (
                  <>
                    <HealthStatus status={row.status} />
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      {row.message}
                    </Typography>
                  </>
                )}
              </TableCell>
              <TableCell align="right" className={classes.nowrap}>
                {'missing' in row ? '—' : formatLatency(row.latencyMs)}
              </TableCell>
              <TableCell className={classes.nowrap}>
                {'missing' in row ? '—' : <LastChecked at={row.checkedAt} />}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
