import https from 'node:https';
import net, { AddressInfo, Socket } from 'node:net';
import { createTestCertificate } from './tls';

export interface FaultServer {
  url: string;
  close(): Promise<void>;
}

function trackSockets(server: net.Server) {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  return sockets;
}

function closeServer(server: net.Server, sockets: Set<Socket>): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

/** A TCP server that accepts connections and never sends a byte: probes must end in a timeout. */
export async function startSilentSocketServer(): Promise<FaultServer> {
  const server = net.createServer(() => undefined);
  const sockets = trackSockets(server);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, sockets),
  };
}

/** A TCP server that resets each connection at the client's first bytes (a middlebox dropping what it does not expect). */
export async function startResettingSocketServer(): Promise<FaultServer> {
  const server = net.createServer(socket =>
    socket.once('data', () => socket.resetAndDestroy()),
  );
  const sockets = trackSockets(server);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, sockets),
  };
}

/**
 * An https server whose certificate names another host (`wrong-host.example`). Trusting `ca` isolates the
 * failure to the host name check (ERR_TLS_CERT_ALTNAME_INVALID) instead of an unknown issuer.
 */
export async function startWrongHostTlsServer(): Promise<
  FaultServer & { ca: string }
> {
  const material = createTestCertificate(['wrong-host.example']);
  const server = https.createServer(
    { key: material.key, cert: material.cert },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    },
  );
  const sockets = trackSockets(server);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: material.cert,
    close: () => closeServer(server, sockets),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released): connection refused. */
export async function findClosedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
