import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  OPEN_AMT_SIGNAL_CHANNEL,
  OpenAmtHealthSignal,
} from '@open-amt-backstage/plugin-open-amt-common';
import { useOpenAmtConfig } from './useOpenAmtConfig';

/**
 * Calls `onUpdate` when the backend signals a health change that `matches`, or — when the app has no
 * signals API — every `openAmt.frontend.pollIntervalSeconds`. Returns how updates arrive.
 */
export function useLiveUpdates(
  onUpdate: () => void,
  matches: (signal: OpenAmtHealthSignal) => boolean = () => true,
): { mode: 'signals' | 'polling'; pollIntervalSeconds: number } {
  const { pollIntervalSeconds } = useOpenAmtConfig();
  const { lastSignal, isSignalsAvailable } = useSignal(OPEN_AMT_SIGNAL_CHANNEL);
  // Refs keep the effects below from re-subscribing on every render of the caller.
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;
  const matchesRef = useRef(matches);
  matchesRef.current = matches;

  useEffect(() => {
    const signal = lastSignal as unknown as OpenAmtHealthSignal | null;
    if (signal && typeof signal.entityRef === 'string' && matchesRef.current(signal)) {
      onUpdateRef.current();
    }
  }, [lastSignal]);

  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const timer = setInterval(() => onUpdateRef.current(), pollIntervalSeconds * 1000);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, pollIntervalSeconds]);

  return {
    mode: isSignalsAvailable ? 'signals' : 'polling',
    pollIntervalSeconds,
  };
}
