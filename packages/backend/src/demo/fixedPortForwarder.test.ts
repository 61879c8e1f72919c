import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { FixedPortForwarder } from './fixedPortForwarder';

describe('FixedPortForwarder', () => {
  let server: http.Server;
  let forwarder: FixedPortForwarder;
  let upstreamConnections = 0;

  beforeEach(async () => {
    upstreamConnections = 0;
    server = http.createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 150; // closes idle connections quickly, like a stand-in between two sweeps
    server.on('connection', () => upstreamConnections++);
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    forwarder = new FixedPortForwarder(
      '127.0.0.1',
      0,
      (server.address() as AddressInfo).port,
    );
    await forwarder.start();
  });

  afterEach(async () => {
    await forwarder.stop();
    await new Promise<void>(r => server.close(() => r()));
  });

  const get = (agent: http.Agent) =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = http.get(`http://${forwarder.address}/`, { agent }, res => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode!, reused: req.reusedSocket }),
        );
      });
      req.on('error', reject);
    });

  /** One pooled socket kept past the server's Keep-Alive timeout hint, like clients that ignore it (Node's own agent honours it). */
  const lingeringAgent = () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agent.keepSocketAlive = socket => {
      (socket as net.Socket).setKeepAlive(true);
      (socket as net.Socket).unref();
      return true;
    };
    return agent;
  };

  it('keeps a pooled client connection usable after the server closed the idle upstream one', async () => {
    const agent = lingeringAgent();
    try {
      expect(await get(agent)).toEqual({ status: 200, reused: false });
      await new Promise(r => setTimeout(r, 1600)); // Node closes idle sockets ~1 s after keepAliveTimeout
      expect(await get(agent)).toEqual({ status: 200, reused: true });
      expect(upstreamConnections).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('sends a request again when the server closed the kept-alive connection it went out on', async () => {
    // The server drops the second request on a connection unanswered, as when its idle timeout fires
    // just as the request arrives.
    const served = new WeakMap<object, number>();
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) req.socket.destroy();
      else res.end('ok');
    });
    const agent = lingeringAgent();
    try {
      expect(await get(agent)).toEqual({ status: 200, reused: false });
      expect(await get(agent)).toEqual({ status: 200, reused: true });
      expect(upstreamConnections).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('refuses connections while stopped and serves the same port again after start', async () => {
    const port = forwarder.port;
    await forwarder.stop();
    const agent = new http.Agent({ keepAlive: false });
    await expect(get(agent)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await forwarder.start();
    expect(forwarder.port).toBe(port);
    expect((await get(agent)).status).toBe(200);
  });

  it('cuts a client whose request the upstream dropped without answering', async () => {
    server.removeAllListeners('request');
    server.on('request', req => req.socket.destroy());
    const agent = new http.Agent({ keepAlive: false });
    await expect(get(agent)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|socket hang up/i),
    });
  });
});
