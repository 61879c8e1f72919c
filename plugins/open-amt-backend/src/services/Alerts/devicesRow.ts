import {
  ComponentHealth,
  DeviceCounts,
  deviceCountsOf,
  dropAlertOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DropState } from './deviceDrop';

/** Keys of the devices row's details that carry the alert between rounds, replicas and restarts. */
export const DROP_DETAILS = {
  /** The contract: DeviceDropAlert (common dropAlertOf reads it) while alerting. */
  alert: 'dropAlert',
  /** Rounds in a row at or above recoverAt so far (only while alerting). */
  recoveredRounds: 'dropAlertRecoveredRounds',
} as const;

/** MPS's counts when the row counted them (a probe that could not ask MPS is unknown and has none). */
export function countsOf(
  row: Pick<ComponentHealth, 'status' | 'details'> | undefined,
): DeviceCounts | undefined {
  if (!row || row.status === 'unknown') return undefined;
  return deviceCountsOf(row.details);
}

/** The alert a stored row carries; undefined when none (or when what is stored is not one). */
export function dropStateOf(
  details: Record<string, unknown> | undefined,
): DropState | undefined {
  const alert = dropAlertOf(details);
  if (!alert) return undefined;
  const rounds = details?.[DROP_DETAILS.recoveredRounds];
  return {
    alert,
    recoveredRounds:
      typeof rounds === 'number' && Number.isFinite(rounds) && rounds >= 0
        ? Math.floor(rounds)
        : 0,
  };
}

/** The row with the alert state added to its details; status and message as given. */
export function withDropState(
  row: ComponentHealth,
  state: DropState,
): ComponentHealth {
  return {
    ...row,
    details: {
      ...row.details,
      [DROP_DETAILS.alert]: state.alert,
      [DROP_DETAILS.recoveredRounds]: state.recoveredRounds,
    },
  };
}

const windowLabel = (minutes: number) => {
  if (minutes === 60) return 'last hour';
  if (minutes % 60 === 0) return `last ${minutes / 60} hours`;
  return `last ${minutes} minutes`;
};

/** "14:02 UTC", with the date when it was not on the day of `at`. */
const clock = (iso: string, at: Date) => {
  const d = new Date(iso).toISOString();
  const day = d.slice(0, 10) === at.toISOString().slice(0, 10);
  return `${day ? '' : `${d.slice(0, 10)} `}${d.slice(11, 16)} UTC`;
};

/** The degraded row of an alerting round: what happened, in one sentence. */
export function alertingRow(
  row: ComponentHealth,
  state: DropState,
  options: {
    started: boolean;
    connected: number;
    total: number;
    windowMinutes: number;
    recoverRounds: number;
    at: Date;
  },
): ComponentHealth {
  const { alert, recoveredRounds } = state;
  const from = `Connected devices dropped from ${alert.baseline} (${windowLabel(
    options.windowMinutes,
  )})`;
  const when = clock(alert.since, options.at);
  const what = options.started
    ? `${from} to ${options.connected} at ${when}`
    : `${from} at ${when} and are at ${options.connected} of ${options.total} now`;
  const progress = recoveredRounds
    ? ` (${recoveredRounds} of ${options.recoverRounds} rounds so far)`
    : '';
  return withDropState(
    {
      ...row,
      status: 'degraded',
      message: `${what}; recovered at ${alert.recoverAt} or more connected${progress}.`,
    },
    state,
  );
}
