import net from 'node:net';

/**
 * A fixed loopback port in front of a contract server (they listen on random ports). Stopping it is how a
 * stand-in "goes away": new connections are refused and open ones are cut, exactly what a probe sees when
 * a process dies; starting it again brings the component back on the same address.
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

  async start(): Promise<void> {
    if (this.running) return;
    const server = net.createServer(client => {
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A reset on one side ends the other; errors are expected when a test stops a component.
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
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
