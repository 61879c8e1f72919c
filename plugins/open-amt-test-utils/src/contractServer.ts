import { toError } from '@backstage/errors';
import http, {
  IncomingHttpHeaders,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { createTestCertificate, TestCertificate } from './tls';

/** Failures a contract server can be told to produce for its next request(s). */
export type InjectedFailure =
  /** The status code, with the vendor's usual error body. */
  | 500
  | 502
  | 503
  /** Accepts the request and never answers. */
  | 'hang'
  /** Destroys the connection without an answer. */
  | 'reset'
  /** 200 with a body that is not JSON. */
  | 'invalid-json'
  /** 200 with a 10 MB body. */
  | 'huge-body';

export interface ContractRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json<T = any>(): T | undefined;
}

export interface ContractResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are; undefined sends no body. */
  body?: unknown;
}

export type ContractHandler<S> = (
  req: ContractRequest,
  state: S,
) => ContractResponse | Promise<ContractResponse>;

export interface ContractServerOptions {
  /** Delay before every answer, in ms (benchmarks use 50). */
  latencyMs?: number;
  /** Serve https with a self-signed certificate (the returned `ca` trusts it). */
  tls?: boolean | TestCertificate;
}

export interface ContractServer<S> {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Mutable vendor state (tests flip switches here). */
  state: S;
  /** PEM to trust when the server speaks https. */
  ca?: string;
  /** Total requests answered or accepted. */
  readonly requestCount: number;
  /** TCP connections accepted so far (keep-alive keeps this far below requestCount). */
  readonly connectionCount: number;
  /** The last 200 requests (method, path, headers, body) for assertions. */
  requests: ContractRequest[];
  setLatency(ms: number): void;
  /** The next `times` requests (to `path` only, when given) fail with `kind`. */
  failNext(kind: InjectedFailure, times?: number, path?: string): void;
  close(): Promise<void>;
}

const HUGE_BODY_BYTES = 10 * 1024 * 1024;
const RECORDED = 200;

function sendResponse(res: ServerResponse, response: ContractResponse) {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer | undefined;
  if (response.body === undefined) {
    payload = undefined;
  } else if (
    typeof response.body === 'string' ||
    Buffer.isBuffer(response.body)
  ) {
    payload = response.body as string | Buffer;
  } else {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined)
    headers['content-length'] = String(Buffer.byteLength(payload));
  else headers['content-length'] = '0';
  res.writeHead(response.status, headers);
  res.end(payload);
}

function writeHugeBody(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < HUGE_BODY_BYTES) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    sent = HUGE_BODY_BYTES;
  });
  pump();
}

/**
 * A small vendor stand-in on 127.0.0.1 and a random port: keep-alive on, injectable latency and failures,
 * requests recorded. Vendor files give it a handler that follows the vendor's documented API.
 */
export async function startContractServer<S>(
  state: S,
  handler: ContractHandler<S>,
  options: ContractServerOptions = {},
): Promise<ContractServer<S>> {
  let latencyMs = options.latencyMs ?? 0;
  const failures: Array<{ kind: InjectedFailure; path?: string }> = [];
  const requests: ContractRequest[] = [];
  let requestCount = 0;
  let connectionCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const tlsMaterial =
    options.tls === true ? createTestCertificate() : options.tls || undefined;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requestCount++;
      // Split by hand: new URL() per request is a measurable share of a benchmark's server time.
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const rawPath = q < 0 ? raw : raw.slice(0, q);
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : '';
      const request: ContractRequest = {
        method: req.method ?? 'GET',
        path: rawPath.includes('%') ? decodeURIComponent(rawPath) : rawPath,
        query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
        headers: req.headers,
        body,
        json() {
          if (!body) return undefined;
          try {
            return JSON.parse(body);
          } catch {
            return undefined;
          }
        },
      };
      requests.push(request);
      if (requests.length > RECORDED) requests.shift();

      const answer = async () => {
        const index = failures.findIndex(
          f => !f.path || f.path === request.path,
        );
        const injected =
          index >= 0 ? failures.splice(index, 1)[0].kind : undefined;
        if (injected === 'hang') return;
        if (injected === 'reset') {
          req.socket.destroy();
          return;
        }
        if (injected === 'invalid-json') {
          sendResponse(res, {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"status": "ok", ',
          });
          return;
        }
        if (injected === 'huge-body') {
          writeHugeBody(res);
          return;
        }
        if (typeof injected === 'number') {
          sendResponse(res, {
            status: injected,
            body: { errors: [`injected failure ${injected}`] },
          });
          return;
        }
        try {
          sendResponse(res, await handler(request, state));
        } catch (error) {
          sendResponse(res, {
            status: 500,
            body: { errors: [toError(error).message] },
          });
        }
      };
      if (latencyMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void answer();
        }, latencyMs);
        timers.add(timer);
      } else {
        void answer();
      }
    });
  };

  const server = tlsMaterial
    ? https.createServer(
        { key: tlsMaterial.key, cert: tlsMaterial.cert, keepAlive: true },
        onRequest,
      )
    : http.createServer({ keepAlive: true }, onRequest);
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket: Socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tlsMaterial ? 'https' : 'http'}://127.0.0.1:${port}`,
    state,
    ca: tlsMaterial?.cert,
    get requestCount() {
      return requestCount;
    },
    get connectionCount() {
      return connectionCount;
    },
    requests,
    setLatency(ms: number) {
      latencyMs = ms;
    },
    failNext(kind: InjectedFailure, times = 1, path?: string) {
      for (let i = 0; i < times; i++) failures.push({ kind, path });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections?.();
      });
    },
  };
}
