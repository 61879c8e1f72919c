import type { LookupFunction } from 'node:net';
import type { HostGuard } from '../types';
import { AllowedAddress, isResolvingGuard } from './hostGuard';

/*
 * For probes that open their own sockets (not through probeHttp): the same two steps probeHttp takes, so a
 * raw TLS or TCP probe is guarded exactly like an HTTP one.
 */

/**
 * Resolves through the guard; with a guard that cannot hand addresses back, only asserts. Synchronous when
 * the guard already holds the answer (IP literals, names it checked moments ago).
 */
export function resolveThroughGuard(
  guard: HostGuard,
  host: string,
): AllowedAddress[] | Promise<AllowedAddress[] | undefined> {
  if (isResolvingGuard(guard))
    return guard.cachedAllowed?.(host) ?? guard.resolveAllowed(host);
  return guard.assertAllowed(host).then(() => undefined);
}

/** Connects to exactly the addresses the guard checked, so a second DNS answer cannot redirect the socket. */
export function pinnedLookup(addresses: AllowedAddress[]): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    if (options?.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  }) as unknown as LookupFunction;
}
