import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ComponentId,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';
import { chartPointsFor, formatTick } from '../../lib/history';
import { COMPONENT_LABELS } from '../../lib/labels';
import { timeChartProps } from './timeChartProps';

const CHART_HEIGHT = 220;

/** Uptime % and latency p50/p95 over time for one component; colours come from the theme. */
export function HistoryCharts(props: {
  buckets: HistoryBucket[];
  component: ComponentId;
  spanSeconds: number;
}) {
  const theme = useTheme();
  const points = chartPointsFor(props.buckets, props.component);
  const label = COMPONENT_LABELS[props.component];
  const chart = timeChartProps(theme, t => formatTick(t, props.spanSeconds));

  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No samples for {label} in this range.
      </Typography>
    );
  }

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: theme.spacing(2) }}>
      <Box
        flex="1 1 320px"
        minWidth={280}
        role="img"
        aria-label={`${label} uptime per interval`}
      >
        <Typography variant="subtitle2">{label}: uptime %</Typography>
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <LineChart data={points}>
            <CartesianGrid {...chart.grid} />
            <XAxis {...chart.timeAxis} />
            <YAxis domain={[0, 100]} unit="%" {...chart.axis} />
            <Tooltip labelFormatter={chart.tooltipLabel} />
            <Line
              type="stepAfter"
              dataKey="uptimePercent"
              name="Uptime %"
              stroke={theme.palette.status.ok}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </Box>
      <Box
        flex="1 1 320px"
        minWidth={280}
        role="img"
        aria-label={`${label} latency p50 and p95`}
      >
        <Typography variant="subtitle2">{label}: latency (ms)</Typography>
        <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
          <LineChart data={points}>
            <CartesianGrid {...chart.grid} />
            <XAxis {...chart.timeAxis} />
            <YAxis unit=" ms" {...chart.axis} />
            <Tooltip labelFormatter={chart.tooltipLabel} />
            <Legend />
            <Line
              dataKey="p50"
              name="p50"
              stroke={theme.palette.primary.main}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              dataKey="p95"
              name="p95"
              stroke={theme.palette.secondary.main}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  );
}
