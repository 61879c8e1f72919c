/*
 * The transport floor of bench/probes.ts: the HTTP requests and TLS handshakes a sweep made, recorded at
 * node:http / node:https / node:tls as the engine called them, then sent again by a bare loop (keep-alive
 * agents, one shared TLS context, no engine code) to the same servers with the same concurrency. Its CPU time
 * is what the transport alone costs on this machine, the part of a probe no engine can save.
 * Recording runs inside the measured sweep (a later sweep could send other requests): its few microseconds per
 * request, about 1 % of the sweep's CPU, count against the engine, never for it.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

type RecordedHttp = {
  kind: 'http';
  secure: boolean;
  hostname: string;
  port: number;
  method: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
};
type RecordedHandshake = {
  kind: 'tls';
  host: string;
  port: number;
  servername?: string;
};
export type RecordedExchange = RecordedHttp | RecordedHandshake;

type RequestFn = typeof http.request;

/**
 * Records every http(s).request and tls.connect until stop() (the options only: URLs passed as strings,
 * which the engine does not use, would be recorded as their parts). The wrappers add one call per request.
 */
export function recordTransport(): { stop(): RecordedExchange[] } {
  const recorded: RecordedExchange[] = [];
  const originals = {
    http: http.request,
    https: https.request,
    tls: tls.connect,
  };
  const wrap = (original: RequestFn, secure: boolean): RequestFn =>
    function recordingRequest(this: unknown, ...args: any[]) {
      const req: http.ClientRequest = (original as any).apply(this, args);
      const options = (
        typeof args[0] === 'object' && !(args[0] instanceof URL)
          ? args[0]
          : { ...args[1], ...urlParts(args[0]) }
      ) as http.RequestOptions;
      const entry: RecordedHttp = {
        kind: 'http',
        secure,
        hostname: String(options.hostname ?? options.host ?? 'localhost'),
        port: Number(options.port ?? (secure ? 443 : 80)),
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { ...(options.headers as http.OutgoingHttpHeaders) },
      };
      recorded.push(entry);
      const chunks: Buffer[] = [];
      const write = req.write.bind(req);
      const end = req.end.bind(req);
      req.write = ((chunk: any, ...rest: any[]) => {
        if (chunk && typeof chunk !== 'function')
          chunks.push(Buffer.from(chunk));
        return (write as any)(chunk, ...rest);
      }) as typeof req.write;
      req.end = ((chunk?: any, ...rest: any[]) => {
        if (chunk && typeof chunk !== 'function')
          chunks.push(Buffer.from(chunk));
        if (chunks.length) entry.body = Buffer.concat(chunks);
        return (end as any)(chunk, ...rest);
      }) as typeof req.end;
      return req;
    } as RequestFn;
  http.request = wrap(originals.http, false);
  https.request = wrap(originals.https as RequestFn, true) as any;
  tls.connect = function recordingConnect(this: unknown, ...args: any[]) {
    const options = args[0] as tls.ConnectionOptions;
    if (typeof options === 'object' && !options.socket)
      recorded.push({
        kind: 'tls',
        host: String(options.host ?? 'localhost'),
        port: Number(options.port),
        servername: options.servername,
      });
    return (originals.tls as any).apply(this, args);
  } as typeof tls.connect;
  return {
    stop() {
      http.request = originals.http;
      https.request = originals.https;
      tls.connect = originals.tls;
      return recorded;
    },
  };
}

function urlParts(url: string | URL): http.RequestOptions {
  const u = new URL(url);
  return {
    hostname: u.hostname,
    port: u.port,
    path: `${u.pathname}${u.search}`,
  };
}

/** Sends the recorded exchanges again, `concurrency` at a time, and returns this process's CPU and wall time. */
export async function runTransportFloor(
  exchanges: RecordedExchange[],
  concurrency: number,
): Promise<{ cpuMs: number; wallS: number; failures: number }> {
  const agents = {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  };
  const secureContext = tls.createSecureContext();
  let failures = 0;
  const send = (e: RecordedHttp) =>
    new Promise<void>(resolve => {
      const req = (e.secure ? https : http).request({
        hostname: e.hostname,
        port: e.port,
        path: e.path,
        method: e.method,
        headers: e.headers,
        agent: e.secure ? agents.https : agents.http,
        rejectUnauthorized: false,
      });
      req.on('error', () => {
        failures += 1;
        resolve();
      });
      req.on('response', res => {
        res.on('data', () => {});
        res.on('end', () => resolve());
      });
      req.end(e.body);
    });
  const handshake = (e: RecordedHandshake) =>
    new Promise<void>(resolve => {
      const socket = tls.connect({
        host: e.host,
        port: e.port,
        servername: e.servername,
        secureContext,
        rejectUnauthorized: false,
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        failures += 1;
        resolve();
      });
    });
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < exchanges.length) {
        const e = exchanges[next++];
        await (e.kind === 'http' ? send(e) : handshake(e));
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agents.http.destroy();
  agents.https.destroy();
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallS, failures };
}
