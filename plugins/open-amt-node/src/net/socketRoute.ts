import { Socket } from 'node:net';
import type { HostGuard } from '../types';
import type { AllowedAddress } from './hostGuard';
import { pinnedLookup, resolveThroughGuard } from './guardedAddresses';

/**
 * How a database driver reaches its server: resolved once through the host guard, then every socket goes to the
 * addresses that were checked. The host name stays with the driver for TLS (SNI and certificate name), so a
 * later DNS answer can neither redirect the connection nor weaken verification.
 */
export interface SocketRoute {
  /** The name TLS verifies; never an address it resolved to. */
  host: string;
  /** An unconnected socket whose connect() dials the checked addresses, whatever host the driver passes. */
  socket(): Socket;
  /**
   * A connected socket. The route's own host goes to its checked addresses; any other host (a server redirect, such
   * as Azure SQL's gateway sending the client to a worker node) is resolved and checked through the guard first.
   */
  connect(host: string, port: number, signal?: AbortSignal): Promise<Socket>;
}

function pinnedSocket(
  host: string,
  addresses: AllowedAddress[] | undefined,
): Socket {
  const socket = new Socket();
  if (!addresses) return socket; // a guard that cannot hand addresses back (test doubles) only asserted
  const dial = socket.connect.bind(socket) as (
    options: object,
    listener?: () => void,
  ) => Socket;
  // Drivers call connect(port, host[, listener]); whatever they name, the socket goes to the checked addresses.
  (socket as unknown as { connect: unknown }).connect = (
    port: number,
    _host?: unknown,
    listener?: () => void,
  ) =>
    dial(
      { port, host, lookup: pinnedLookup(addresses) },
      typeof _host === 'function' ? (_host as () => void) : listener,
    );
  return socket;
}

function connected(
  socket: Socket,
  port: number,
  host: string,
  signal?: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.connect(port, host, () => {
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', fail);
      resolve(socket);
    });
    return undefined;
  });
}

/** Resolves `host` through the guard (throws HostNotAllowedError when refused) and returns its route. */
export async function routeThroughGuard(
  guard: HostGuard,
  host: string,
): Promise<SocketRoute> {
  const addresses = await resolveThroughGuard(guard, host);
  const route: SocketRoute = {
    host,
    socket: () => pinnedSocket(host, addresses),
    async connect(otherHost, port, signal) {
      if (otherHost.toLowerCase() === host.toLowerCase())
        return connected(route.socket(), port, host, signal);
      const redirected = await routeThroughGuard(guard, otherHost);
      return connected(redirected.socket(), port, otherHost, signal);
    },
  };
  return route;
}
