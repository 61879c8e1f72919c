import type { Theme } from '@material-ui/core/styles';

/**
 * The props every history chart's grid and time axis share. Props rather than wrapper components: recharts 2 finds
 * a chart's grid and axes by their element type, so they must stay its direct children.
 */
export function timeChartProps(theme: Theme, tick: (t: number) => string) {
  const axis = { stroke: theme.palette.text.secondary, fontSize: 12 };
  return {
    axis,
    grid: { stroke: theme.palette.divider, strokeDasharray: '3 3' },
    timeAxis: {
      dataKey: 'time',
      type: 'number' as const,
      scale: 'time' as const,
      domain: ['dataMin', 'dataMax'] as [string, string],
      tickFormatter: tick,
      ...axis,
    },
    tooltipLabel: (t: unknown) => new Date(Number(t)).toISOString(),
  };
}
