import { X509Certificate } from 'node:crypto';
import net, { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { createTestCertificate, TestCertificate } from './tls';

export interface CiraServerOptions {
  /** Names and IP addresses the certificate covers; the first is its CN (default mps.example.com). */
  hosts?: string[];
  /** The certificate expired yesterday. */
  expired?: boolean;
  /** The certificate only becomes valid in two days. */
  notYetValid?: boolean;
  /** Days until the certificate expires (default 365). */
  daysValid?: number;
  /**
   * For a server name (SNI) the certificate does not cover, present one made for that name: a stand-in for
   * the MPS of every deployment pointed at it (the demo stack). Off: one certificate for every client, as MPS.
   */
  coverRequestedNames?: boolean;
  /** Every connection waits this long before the handshake is answered (a network round trip away). */
  latencyMs?: number;
  host?: string;
  port?: number;
}

export interface CiraContractServer {
  host: string;
  port: number;
  /** `host:port`, as open-amt.io/cira-endpoint writes it. */
  address: string;
  /** The certificate presented (PEM). */
  cert: string;
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Server names (SNI) clients asked for, in order; a client that sends none adds nothing. */
  readonly serverNames: string[];
  close(): Promise<void>;
}

function validityOf(options: CiraServerOptions) {
  if (options.expired) return { notBeforeDays: -30, notAfterDays: -1 };
  if (options.notYetValid) return { notBeforeDays: 2, notAfterDays: 30 };
  return { notBeforeDays: 0, notAfterDays: options.daysValid ?? 365 };
}

/**
 * MPS's CIRA port stand-in: raw TLS with a generated certificate (MPS makes its own from MPS_COMMON_NAME), that
 * then waits for the device's APF messages and never speaks first. Counts connections and records the server
 * names asked for, so tests can show a refused host was never contacted and which name the client sent.
 */
export async function startCiraServer(
  options: CiraServerOptions = {},
): Promise<CiraContractServer> {
  const hosts = options.hosts ?? ['mps.example.com'];
  const material: TestCertificate = createTestCertificate(
    hosts,
    validityOf(options),
  );
  const contexts = new Map<string, tls.SecureContext>();
  const sockets = new Set<Socket>();
  const serverNames: string[] = [];
  let connectionCount = 0;

  const presented = new X509Certificate(material.cert);
  const server = tls.createServer({
    key: material.key,
    cert: material.cert,
    SNICallback: (name, callback) => {
      serverNames.push(name);
      if (!options.coverRequestedNames || presented.checkHost(name))
        return callback(null, undefined);
      let context = contexts.get(name);
      if (!context) {
        context = tls.createSecureContext(
          createTestCertificate([name], validityOf(options)),
        );
        contexts.set(name, context);
      }
      return callback(null, context);
    },
  });
  server.on('connection', (socket: Socket) => {
    connectionCount += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.on('secureConnection', socket => socket.on('error', () => undefined));
  server.on('tlsClientError', () => undefined);
  // With latency, a plain TCP front accepts paused sockets and hands each to the TLS server after the delay.
  const latencyMs = options.latencyMs ?? 0;
  const listener: net.Server =
    latencyMs > 0
      ? net.createServer({ pauseOnConnect: true }, socket => {
          setTimeout(() => server.emit('connection', socket), latencyMs);
        })
      : server;
  await new Promise<void>(resolve =>
    listener.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    ),
  );
  const { address: host, port } = listener.address() as AddressInfo;
  return {
    host,
    port,
    address: `${host}:${port}`,
    cert: material.cert,
    get connectionCount() {
      return connectionCount;
    },
    get serverNames() {
      return serverNames;
    },
    close: () =>
      new Promise<void>(resolve => {
        if (listener !== server) listener.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
