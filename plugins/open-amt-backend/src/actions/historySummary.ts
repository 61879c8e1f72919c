import {
  ComponentId,
  DeploymentHistory,
  StatusTransition,
} from '@open-amt-backstage/plugin-open-amt-common';

export interface HistorySummary {
  entityRef: string;
  from: string;
  to: string;
  /** Per component: share of samples healthy or degraded over the range (0..1), and how many samples. */
  components: { component: ComponentId; uptime: number; samples: number }[];
  transitionCount: number;
  /** The newest state changes, newest first. */
  recentTransitions: StatusTransition[];
}

/** A history condensed for an assistant: uptime per component and the latest state changes. */
export function summarizeHistory(
  history: DeploymentHistory,
  maxTransitions = 20,
): HistorySummary {
  const totals = new Map<ComponentId, { up: number; samples: number }>();
  for (const bucket of history.buckets) {
    const total = totals.get(bucket.component) ?? { up: 0, samples: 0 };
    total.up += bucket.uptime * bucket.samples;
    total.samples += bucket.samples;
    totals.set(bucket.component, total);
  }
  const recentTransitions = [...history.transitions]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, maxTransitions);
  return {
    entityRef: history.entityRef,
    from: history.from,
    to: history.to,
    components: [...totals].map(([component, t]) => ({
      component,
      uptime: t.samples ? Math.round((t.up / t.samples) * 10000) / 10000 : 0,
      samples: t.samples,
    })),
    transitionCount: history.transitions.length,
    recentTransitions,
  };
}
