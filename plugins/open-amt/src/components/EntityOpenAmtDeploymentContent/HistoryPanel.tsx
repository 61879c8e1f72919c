import { useState } from 'react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import MuiSelect from '@material-ui/core/Select';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef, openAmtApiRef } from '../../api';
import {
  HISTORY_RANGES,
  HistoryRangeId,
  rangeFor,
  summarizeHistory,
} from '../../lib/history';
import { COMPONENT_LABELS } from '../../lib/labels';
import { formatExact, formatLatency, formatPercent } from '../../lib/time';
import { HealthStatus } from '../HealthStatus';
import { DevicesTrend } from './DevicesTrend';
import { HistoryCharts } from './HistoryCharts';

/** History over a chosen range: a summary per component, charts for one, the devices trend, the status changes. */
export function HistoryPanel(props: {
  deployment: DeploymentRef;
  /** Changes when new health arrives, so the history is re-read with it. */
  revision?: string;
  initialComponent?: ComponentId;
  /** The devices row of the current health, for the devices trend's alert and empty state. */
  devices?: ComponentHealth;
}) {
  const api = useApi(openAmtApiRef);
  const [rangeId, setRangeId] = useState<HistoryRangeId>('24h');
  const [component, setComponent] = useState<ComponentId>(
    props.initialComponent ?? 'mps',
  );
  const { namespace, name } = props.deployment;

  const {
    loading,
    error,
    value: history,
  } = useAsync(
    () => api.getDeploymentHistory({ namespace, name }, rangeFor(rangeId)),
    [api, namespace, name, rangeId, props.revision],
  );

  const rangePicker = (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={rangeId}
      onChange={(_e, value: HistoryRangeId | null) =>
        value && setRangeId(value)
      }
      aria-label="History range"
    >
      {(Object.keys(HISTORY_RANGES) as HistoryRangeId[]).map(id => (
        <ToggleButton key={id} value={id} aria-label={HISTORY_RANGES[id].label}>
          {id}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );

  let body;
  if (loading && !history) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ResponseErrorPanel error={error} title="Could not load the history" />
    );
  } else if (history) {
    const summaries = summarizeHistory(history.buckets);
    body = (
      <>
        {summaries.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No samples recorded in the{' '}
            {HISTORY_RANGES[rangeId].label.toLowerCase()}.
          </Typography>
        ) : (
          <Table size="small" aria-label="Uptime and latency per component">
            <TableHead>
              <TableRow>
                <TableCell>Component</TableCell>
                <TableCell align="right">Uptime</TableCell>
                <TableCell align="right">Latency p50</TableCell>
                <TableCell align="right">
                  Latency p95 (worst interval)
                </TableCell>
                <TableCell align="right">Samples</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {summaries.map(s => (
                <TableRow
                  key={s.component}
                  data-testid={`history-row-${s.component}`}
                >
                  <TableCell component="th" scope="row">
                    {COMPONENT_LABELS[s.component]}
                  </TableCell>
                  <TableCell align="right">{formatPercent(s.uptime)}</TableCell>
                  <TableCell align="right">
                    {formatLatency(s.latencyP50Ms)}
                  </TableCell>
                  <TableCell align="right">
                    {formatLatency(s.latencyP95Ms)}
                  </TableCell>
                  <TableCell align="right">{s.samples}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Box mt={2} mb={1}>
          <FormControl size="small" variant="outlined">
            <InputLabel id="open-amt-history-component">
              Chart component
            </InputLabel>
            <MuiSelect
              labelId="open-amt-history-component"
              label="Chart component"
              value={component}
              onChange={e => setComponent(e.target.value as ComponentId)}
            >
              {COMPONENT_IDS.map(id => (
                <MenuItem key={id} value={id}>
                  {COMPONENT_LABELS[id]}
                </MenuItem>
              ))}
            </MuiSelect>
          </FormControl>
        </Box>
        <HistoryCharts
          buckets={history.buckets}
          component={component}
          spanSeconds={HISTORY_RANGES[rangeId].seconds}
        />
        <Box mt={2}>
          <DevicesTrend
            buckets={history.buckets}
            spanSeconds={HISTORY_RANGES[rangeId].seconds}
            devices={props.devices}
          />
        </Box>
        {history.transitions.length > 0 && (
          <Box mt={2}>
            <Typography variant="subtitle2">Status changes</Typography>
            <Table size="small" aria-label="Status changes">
              <TableBody>
                {[...history.transitions]
                  .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
                  .slice(0, 20)
                  .map(t => (
                    <TableRow key={`${t.component}-${t.at}`}>
                      <TableCell>{formatExact(t.at)}</TableCell>
                      <TableCell>
                        {t.component === 'deployment'
                          ? 'Deployment'
                          : COMPONENT_LABELS[t.component]}
                      </TableCell>
                      <TableCell>
                        <HealthStatus status={t.to} />
                      </TableCell>
                      <TableCell>{t.message}</TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </>
    );
  }

  return (
    <InfoCard title="History" action={rangePicker}>
      {body}
    </InfoCard>
  );
}
