import type { DeviceDropAlert } from '@open-amt-backstage/plugin-open-amt-common';
import type { DevicesDropSettings } from '../../alertsConfig';

/** The alert on the devices row's details (`dropAlert`): common's contract, which the fleet and the UI read. */
export type DropAlert = DeviceDropAlert;

/** What is carried from round to round while alerting: the alert, and how many rounds in a row met recoverAt. */
export interface DropState {
  alert: DropAlert;
  recoveredRounds: number;
}

export type DropDecision =
  | { kind: 'quiet' }
  | { kind: 'started'; state: DropState }
  | { kind: 'alerting'; state: DropState }
  | { kind: 'recovered'; ended: DropAlert };

export interface DropInput {
  settings: Pick<
    DevicesDropSettings,
    'dropPercent' | 'recoverPercent' | 'minBaseline' | 'recoverRounds'
  >;
  /** The level before this round (median of the window); undefined when nothing was sampled. */
  level?: number;
  connected: number;
  total: number;
  /** The alert as the previous round left it. */
  previous?: DropState;
  /** When this round was probed. */
  at: Date;
}

/** The connected count at which an alert over `baseline` devices counts as recovered. */
export const recoverMark = (baseline: number, recoverPercent: number) =>
  Math.ceil((baseline * (100 - recoverPercent)) / 100);

/**
 * One round of the device-drop alert. Two marks give hysteresis: it starts below the drop mark of the recent level and
 * clears only at the (higher) recovery mark of the frozen baseline, for recoverRounds rounds in a row, so a count
 * hovering around either mark raises one alert, not one per crossing. Devices deleted from MPS lower the level and the
 * baseline (capped by the total): they are gone, not dropped.
 */
export function decideDeviceDrop(input: DropInput): DropDecision {
  const { settings, connected, total, previous } = input;
  if (previous) {
    const baseline = Math.min(previous.alert.baseline, total);
    const alert: DropAlert = {
      since: previous.alert.since,
      baseline,
      recoverAt: recoverMark(baseline, settings.recoverPercent),
    };
    if (connected < alert.recoverAt)
      return { kind: 'alerting', state: { alert, recoveredRounds: 0 } };
    const recoveredRounds = previous.recoveredRounds + 1;
    if (recoveredRounds >= settings.recoverRounds)
      return { kind: 'recovered', ended: alert };
    return { kind: 'alerting', state: { alert, recoveredRounds } };
  }
  if (input.level === undefined) return { kind: 'quiet' };
  const level = Math.min(input.level, total);
  if (level < settings.minBaseline) return { kind: 'quiet' };
  // connected < level × (1 − dropPercent/100), in whole hundredths so 32 of 40 at 20 % is exactly on the mark.
  if (connected * 100 >= level * (100 - settings.dropPercent))
    return { kind: 'quiet' };
  return {
    kind: 'started',
    state: {
      alert: {
        since: input.at.toISOString(),
        baseline: level,
        recoverAt: recoverMark(level, settings.recoverPercent),
      },
      recoveredRounds: 0,
    },
  };
}
