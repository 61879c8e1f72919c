import { configApiRef, useApi } from '@backstage/core-plugin-api';

export const DEFAULT_POLL_INTERVAL_SECONDS = 30;
export const DEFAULT_PROBE_INTERVAL_SECONDS = 60;

export interface OpenAmtFrontendConfig {
  /** How often to re-read when live signals are not available. */
  pollIntervalSeconds: number;
  /** The health engine's interval, when the backend does not report it; for the stale flag. */
  probeIntervalSeconds: number;
}

/** Reads `openAmt.frontend.*` (declared in config.d.ts with frontend visibility). */
export function useOpenAmtConfig(): OpenAmtFrontendConfig {
  const config = useApi(configApiRef);
  return {
    pollIntervalSeconds: positive(
      config.getOptionalNumber('openAmt.frontend.pollIntervalSeconds'),
      DEFAULT_POLL_INTERVAL_SECONDS,
    ),
    probeIntervalSeconds: positive(
      config.getOptionalNumber('openAmt.frontend.probeIntervalSeconds'),
      DEFAULT_PROBE_INTERVAL_SECONDS,
    ),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0
    ? value
    : fallback;
}
