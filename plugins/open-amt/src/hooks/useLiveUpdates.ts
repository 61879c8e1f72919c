import { useEffect, useRef } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  OPEN_AMT_SIGNAL_CHANNEL,
  OpenAmtHealthSignal,
} from '@open-amt-backstage/plugin-open-amt-common';
import { useOpenAmtConfig } from './useOpenAmtConfig';

/** With signals, still re-read this many poll intervals apart: a dropped websocket must not freeze the view. */
export const SAFETY_POLL_MULTIPLIER = 10;

/**
 * Calls `onUpdate` when the backend signals a health change that `matches`, or — when the app has no
 * signals API — every `openAmt.frontend.pollIntervalSeconds`. Returns how updates arrive.
 */
export function useLiveUpdates(
  onUpdate: () => void,
  matches: (signal: OpenAmtHealthSignal) => boolean = () => true,
): { mode: 'signals' | 'polling'; pollIntervalSeconds: number } {
  const { pollIntervalSeconds } = useOpenAmtConfig();
  const signals = useApiHolder().get(signalApiRef);
  const isSignalsAvailable = Boolean(signals);
  // Refs keep the effects below from re-subscribing on every render of the caller.
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;
  const matchesRef = useRef(matches);
  matchesRef.current = matches;

  // Every message, not useSignal's lastSignal: one sweep signals many deployments at once, and React batches
  // those state updates so only the last deployment's signal would be seen.
  useEffect(() => {
    if (!signals) return undefined;
    const subscription = signals.subscribe(OPEN_AMT_SIGNAL_CHANNEL, message => {
      const signal = message as unknown as OpenAmtHealthSignal;
      if (
        signal &&
        typeof signal.entityRef === 'string' &&
        matchesRef.current(signal)
      ) {
        onUpdateRef.current();
      }
    });
    return () => subscription.unsubscribe();
  }, [signals]);

  useEffect(() => {
    const seconds = isSignalsAvailable
      ? pollIntervalSeconds * SAFETY_POLL_MULTIPLIER
      : pollIntervalSeconds;
    const timer = setInterval(() => onUpdateRef.current(), seconds * 1000);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, pollIntervalSeconds]);

  return {
    mode: isSignalsAvailable ? 'signals' : 'polling',
    pollIntervalSeconds,
  };
}
