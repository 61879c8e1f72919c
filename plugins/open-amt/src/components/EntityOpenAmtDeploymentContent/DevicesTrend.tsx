import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { timeChartProps } from './timeChartProps';
import {
  ComponentHealth,
  deviceCountsOf,
  dropAlertOf,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';
import { deviceTrendPoints } from '../../lib/devices';
import { formatTick } from '../../lib/history';
import { DeviceDropNotice } from './DeviceDropNotice';

const CHART_HEIGHT = 220;

function emptyText(row: ComponentHealth | undefined): string {
  if (!row) return 'MPS has not counted its devices yet.';
  // Counted now but not in this range (a new deployment, or the counts began after the range).
  if (deviceCountsOf(row?.details))
    return 'No device counts recorded in this range yet.';
  return row.message;
}

/**
 * Connected and total devices over the history range (the devices buckets' gauges), with the baseline and recovery
 * mark of an active device-drop alert.
 */
export function DevicesTrend(props: {
  buckets: HistoryBucket[];
  spanSeconds: number;
  /** The devices row of the current health: its drop alert, or why MPS was not counted. */
  devices?: ComponentHealth;
}) {
  const theme = useTheme();
  const points = deviceTrendPoints(props.buckets);
  const alert = dropAlertOf(props.devices?.details);
  const chart = timeChartProps(theme, t => formatTick(t, props.spanSeconds));

  let body;
  if (points.length === 0) {
    body = (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="devices-trend-empty"
      >
        {emptyText(props.devices)}
      </Typography>
    );
  } else {
    const latest = points[points.length - 1];
    const fewest = Math.min(...points.map(p => p.connected));
    body = (
      <>
        <Typography variant="body2" data-testid="devices-trend-summary">
          Latest: {latest.connected} of {latest.total} connected; fewest
          connected in this range: {fewest}.
        </Typography>
        <Box role="img" aria-label="Connected and total devices over time">
          <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
            <LineChart data={points}>
              <CartesianGrid {...chart.grid} />
              <XAxis {...chart.timeAxis} />
              <YAxis
                domain={[0, 'auto']}
                allowDecimals={false}
                {...chart.axis}
              />
              <Tooltip labelFormatter={chart.tooltipLabel} />
              <Legend />
              <Line
                className="devices-total-line"
                dataKey="total"
                name="Total"
                stroke={theme.palette.text.secondary}
                strokeDasharray="6 3"
                dot={false}
                isAnimationActive={false}
              />
              <Line
                className="devices-connected-line"
                dataKey="connected"
                name="Connected"
                stroke={theme.palette.status.ok}
                dot={false}
                isAnimationActive={false}
              />
              {alert && (
                <ReferenceLine
                  className="devices-baseline-line"
                  y={alert.baseline}
                  ifOverflow="extendDomain"
                  stroke={theme.palette.text.secondary}
                  strokeDasharray="2 2"
                  label={{
                    value: `baseline ${alert.baseline}`,
                    // recharts: insideBottom* sits above a horizontal line, insideTop* below it; apart, they never overlap.
                    position: 'insideBottomLeft',
                    fontSize: 12,
                  }}
                />
              )}
              {alert && (
                <ReferenceLine
                  className="devices-recover-line"
                  y={alert.recoverAt}
                  ifOverflow="extendDomain"
                  stroke={theme.palette.status.warning}
                  label={{
                    value: `recovers at ${alert.recoverAt}`,
                    position: 'insideTopRight',
                    fontSize: 12,
                  }}
                />
              )}
              {alert && (
                <ReferenceLine
                  className="devices-since-line"
                  x={Date.parse(alert.since)}
                  stroke={theme.palette.status.warning}
                  strokeDasharray="4 2"
                />
              )}
            </LineChart>
          </ResponsiveContainer>
        </Box>
      </>
    );
  }

  return (
    <Box data-testid="devices-trend">
      <Typography variant="subtitle2">Devices connected to MPS</Typography>
      {alert && <DeviceDropNotice alert={alert} devices={props.devices} />}
      {body}
    </Box>
  );
}
