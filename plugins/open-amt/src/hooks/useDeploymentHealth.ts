import { useCallback, useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  DeploymentHealth,
  OpenAmtHealthSignal,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef, openAmtApiRef } from '../api';
import { isSameDeployment } from '../lib/entity';
import { markHealthDataArrived } from '../lib/perf';
import { useLiveUpdates } from './useLiveUpdates';

/**
 * Until the deployment's first check is in, re-read this often: the signal of that check may have gone out before
 * this page subscribed, and the next signal comes only with a change (the safety poll is minutes away).
 */
export const FIRST_CHECK_REREAD_MS = 3000;

export interface DeploymentHealthState {
  loading: boolean;
  error?: Error;
  /** undefined while the deployment has not been probed yet. */
  health?: DeploymentHealth;
  retry: () => void;
  updates: ReturnType<typeof useLiveUpdates>;
}

/** The deployment's latest health, kept current through signals (or polling). */
export function useDeploymentHealth(
  ref: DeploymentRef | undefined,
): DeploymentHealthState {
  const api = useApi(openAmtApiRef);
  const { namespace, name } = ref ?? { namespace: '', name: '' };
  const state = useAsyncRetry(async () => {
    if (!name) return undefined;
    const health = await api.getDeploymentHealth({ namespace, name });
    markHealthDataArrived();
    return health;
  }, [api, namespace, name]);

  const { retry } = state;
  const updates = useLiveUpdates(
    retry,
    useCallback(
      (signal: OpenAmtHealthSignal) =>
        Boolean(name) &&
        isSameDeployment(signal.entityRef, { namespace, name }),
      [namespace, name],
    ),
  );

  const awaitingFirstCheck =
    Boolean(name) && !state.loading && !state.error && !state.value?.checkedAt;
  useEffect(() => {
    if (!awaitingFirstCheck) return undefined;
    const timer = setTimeout(retry, FIRST_CHECK_REREAD_MS);
    return () => clearTimeout(timer);
  }, [awaitingFirstCheck, state.value, retry]);

  return {
    // A background re-read keeps showing the previous data instead of a spinner.
    loading: state.loading && state.value === undefined,
    error: state.error,
    health: state.value,
    retry,
    updates,
  };
}
