import type { ProbeContext } from '../types';
import { createHostGuard } from './hostGuard';

/**
 * Splits one probe's time budget over several requests: each call hands out a context whose timeout is what is
 * left, so a probe made of three requests still settles within ctx.timeoutMs.
 */
export function probeBudget(ctx: ProbeContext): {
  next(): ProbeContext;
  elapsedMs(): number;
} {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  return {
    elapsedMs,
    next: () => ({
      ...ctx,
      timeoutMs: Math.max(1, ctx.timeoutMs - elapsedMs()),
    }),
  };
}

/**
 * The guard for provisioning (scaffolder actions writing to the chosen store): any host the user named, but
 * never link-local or cloud metadata addresses.
 */
export function createProvisioningGuard() {
  return createHostGuard({ allowedHosts: ['*', '0.0.0.0/0', '::/0'] });
}

/** Context for provisioning calls, which have no health-engine budget of their own. */
export function provisioningContext(timeoutMs = 30_000): ProbeContext {
  return {
    timeoutMs,
    guard: createProvisioningGuard(),
    maxBodyBytes: 4 * 1024 * 1024,
  };
}
