import net from 'node:net';

/**
 * A fixed loopback port in front of a contract server (they listen on random ports). Stopping it is how a
 * stand-in "goes away": new connections are refused and open ones are cut, exactly what a probe sees when
 * a process dies; starting it again brings the component back on the same address.
 *
 * Keep-alive: when the stand-in closes an idle connection (its keep-alive timeout), the client's side
 * stays open and the next request gets a fresh upstream connection; a request that raced with that close
 * is sent again. Without that, a client reusing a pooled socket at the moment the server closes it sees
 * ECONNRESET — a false "down" in the demo.
 */
export class FixedPortForwarder {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  /** `port` 0 picks a free port at the first start and keeps it for later restarts. */
  constructor(
    private readonly host: string,
    public port: number,
    private readonly targetPort: number,
  ) {}

  get running(): boolean {
    return Boolean(this.server?.listening);
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private onClient(client: net.Socket) {
    this.track(client);
    let upstream: net.Socket | undefined;
    // Bytes sent upstream since the last answer: a request the server has not answered yet.
    let pending: Buffer[] = [];

    const connectUpstream = (): net.Socket => {
      const socket = net.connect(this.targetPort, '127.0.0.1');
      let answered = false;
      this.track(socket);
      socket.on('data', chunk => {
        answered = true;
        pending = [];
        client.write(chunk);
      });
      socket.on('error', () => undefined); // 'close' follows and decides
      const gone = () => {
        if (upstream !== socket) return;
        upstream = undefined;
        if (pending.length === 0) return; // idle: the next request opens a new connection
        if (answered) {
          // The server closed a kept-alive connection as a request went out on it: it never saw the
          // request (HTTP clients retry this case), so send it again on a fresh connection.
          upstream = connectUpstream();
          for (const chunk of pending) upstream.write(chunk);
        } else {
          client.destroy(); // dropped without any answer: the client must see the failure
        }
      };
      socket.on('end', gone);
      socket.on('close', gone);
      return socket;
    };

    client.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      upstream ??= connectUpstream();
      upstream.write(chunk);
    });
    client.on('end', () => upstream?.end());
    client.on('error', () => upstream?.destroy());
    client.on('close', () => upstream?.destroy());
  }

  async start(): Promise<void> {
    if (this.running) return;
    const server = net.createServer(client => this.onClient(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
