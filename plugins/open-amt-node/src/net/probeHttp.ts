import { toError } from '@backstage/errors';
import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { ProbeContext } from '../types';
import {
  classifyNetworkError,
  ProbeFailure,
  ProbeFailureKind,
} from './failures';
import { Deadline } from './deadline';
import { pinnedLookup, resolveThroughGuard } from './guardedAddresses';
import { AllowedAddress, normalizeHost } from './hostGuard';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: never forwarded to another origin on a redirect. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'x-vault-token',
  'cookie',
  'proxy-authorization',
  'x-api-key',
];

export interface ProbeHttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** A 2xx body that is not JSON is a failure (invalid_json) rather than a response without `json`. */
  expectJson?: boolean;
  /** Redirects followed (each hop re-checked by the guard); 0 hands 3xx responses back. Default 3. */
  maxRedirects?: number;
  /** Extra CA certificates (PEM) to trust, e.g. a private CA; replaces the default store like Node's `ca`. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Called once the (first) request is written to the socket: a probe may then send its next, independent
   * request, which the server is sure to receive after this one (see sentThenOverlap).
   */
  onSent?: () => void;
}

export interface ProbeHttpResponse {
  kind: 'response';
  status: number;
  headers: IncomingHttpHeaders;
  /** Body as UTF-8 text. */
  body: string;
  /** Raw body, for binary-safe callers (SDK transports). */
  bytes: Buffer;
  /** Parsed body when it is JSON. */
  json?: unknown;
  latencyMs: number;
  /** Final URL after redirects. */
  url: string;
}

export interface ProbeHttpFailure extends ProbeFailure {
  kind: 'failure';
}

export type ProbeHttpResult = ProbeHttpResponse | ProbeHttpFailure;

// Keep-alive agents shared by every probe: a sweep of thousands of probes reuses connections.
const agents = {
  http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

/** Drops idle keep-alive sockets (tests call this so nothing keeps the process alive). */
export function closeIdleProbeConnections(): void {
  agents.http.destroy();
  agents.https.destroy();
  agents.http = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
  agents.https = new https.Agent({ keepAlive: true, scheduling: 'lifo' });
}

class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

interface RawResponse {
  status: number;
  message: http.IncomingMessage;
  bytes: Buffer;
}

/**
 * The first value of a response header, read from the raw list: the size check runs before Node has built the
 * headers object, and the redirect and JSON checks need one header each.
 */
function headerOf(message: http.IncomingMessage, name: string) {
  const raw = message.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === name.length && raw[i].toLowerCase() === name)
      return raw[i + 1];
  }
  return undefined;
}

/**
 * A pooled keep-alive socket can be closed by the server just as a request goes out on it: Node then fails the
 * request with ECONNRESET (or EPIPE) and marks it `reusedSocket` (Node docs, http "request.reusedSocket"). The server
 * never read it, so it is sent once more, on a fresh connection. `onSent` may already have fired for the dropped
 * attempt: a follow-up started by sentThenOverlap then overlaps the resend, which only reorders independent reads.
 */
function send(...args: Parameters<typeof sendOnce>): Promise<RawResponse> {
  return sendOnce(...args).catch(error => {
    const { code, reusedSocket } = error as {
      code?: string;
      reusedSocket?: boolean;
    };
    if (!reusedSocket || (code !== 'ECONNRESET' && code !== 'EPIPE'))
      throw error;
    return sendOnce(...args);
  });
}

function sendOnce(
  target: RequestTarget,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  addresses: AllowedAddress[] | undefined,
  deadline: Deadline,
  maxBodyBytes: number,
  ca: ProbeHttpInit['ca'],
  onSent: (() => void) | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { secure, hostname, literal } = target;
    const options: https.RequestOptions = {
      protocol: target.url.protocol,
      hostname,
      port: target.port,
      path: target.path,
      method,
      headers,
      agent: secure ? agents.https : agents.http,
    };
    if (addresses && !literal) options.lookup = pinnedLookup(addresses);
    if (secure) {
      if (!literal) options.servername = hostname;
      if (ca !== undefined) options.ca = ca;
    }
    const req = (secure ? https : http).request(options);
    if (onSent) req.once('finish', onSent);
    deadline.track(error => req.destroy(error));
    let answered = false;
    req.on('error', error => {
      deadline.untrack();
      // Only a request that got no answer on a pooled socket may be sent again (see send).
      reject(
        Object.assign(error, { reusedSocket: req.reusedSocket && !answered }),
      );
    });
    req.on('response', res => {
      answered = true;
      const declared = Number(headerOf(res, 'content-length'));
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        req.destroy(new BodyTooLargeError(maxBodyBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          req.destroy(new BodyTooLargeError(maxBodyBytes));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        deadline.untrack();
        resolve({
          status: res.statusCode ?? 0,
          message: res,
          bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
        });
      });
      res.on('error', error => {
        deadline.untrack();
        reject(error);
      });
    });
    req.end(body);
  });
}

/** What a request to one URL needs, worked out once per URL (a sweep asks the same URLs every interval). */
interface RequestTarget {
  /** Never modified: shared by every request to this URL. */
  url: URL;
  secure: boolean;
  /** The host as the guard and the socket take it (brackets of an IPv6 literal removed). */
  hostname: string;
  literal: boolean;
  port: string | number;
  path: string;
}

function requestTarget(url: URL): RequestTarget {
  const secure = url.protocol === 'https:';
  const hostname = normalizeHost(url.hostname);
  return {
    url,
    secure,
    hostname,
    literal: isIP(hostname) !== 0,
    port: url.port || (secure ? 443 : 80),
    path: `${url.pathname}${url.search}`,
  };
}

/** Bounded: a portal probes a few URLs per deployment; cleared whole when full. */
const MAX_CACHED_URLS = 10_000;
const requestTargets = new Map<string, RequestTarget>();
const redactedUrls = new Map<string, string>();

/** The request target of an http(s) URL given as text, parsed once; throws when it is neither. */
function requestTargetOf(text: string): RequestTarget {
  let target = requestTargets.get(text);
  if (!target) {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('not http(s)');
    target = requestTarget(url);
    if (requestTargets.size >= MAX_CACHED_URLS) requestTargets.clear();
    requestTargets.set(text, target);
  }
  return target;
}

function failure(
  kind: ProbeFailureKind,
  message: string,
  latencyMs: number,
  url: string,
  code?: string,
): ProbeHttpFailure {
  return {
    kind: 'failure',
    failure: kind,
    message,
    latencyMs,
    url,
    ...(code ? { code } : {}),
  };
}

const redactedOf = (u: URL) => `${u.protocol}//${u.host}${u.pathname}`;

/** Where a URL is shown in messages: origin and path, never credentials or query strings. */
export function redactUrl(url: URL | string): string {
  if (typeof url !== 'string') return redactedOf(url);
  let redacted = redactedUrls.get(url);
  if (redacted === undefined) {
    try {
      redacted = redactedOf(new URL(url));
    } catch {
      return '(invalid URL)';
    }
    if (redactedUrls.size >= MAX_CACHED_URLS) redactedUrls.clear();
    redactedUrls.set(url, redacted);
  }
  return redacted;
}

/**
 * A guarded HTTP exchange for probes: the host guard is consulted before connecting and on every redirect
 * (followed manually, at most 3), the socket goes to the addresses the guard checked, the whole exchange
 * (DNS, connect, TLS, redirects, body) shares ctx.timeoutMs, and bodies over ctx.maxBodyBytes are cut off.
 * Never throws: failures come back classified.
 */
export async function probeHttp(
  url: string,
  ctx: ProbeContext,
  init: ProbeHttpInit = {},
): Promise<ProbeHttpResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const maxBodyBytes = ctx.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = init.maxRedirects ?? DEFAULT_MAX_REDIRECTS;

  let target: RequestTarget;
  try {
    target = requestTargetOf(url);
  } catch {
    return failure(
      'invalid_url',
      'only http and https URLs can be probed',
      0,
      '(invalid URL)',
    );
  }
  let current = target.url;

  // One deadline for the whole exchange; `timedOut` tells our own timer apart from the caller cancelling.
  const deadline = new Deadline(ctx.timeoutMs, ctx.signal);

  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  const headers: Record<string, string> = {
    accept: 'application/json, text/html;q=0.9, */*;q=0.8',
    ...init.headers,
  };
  let redirected = false;
  try {
    for (let hop = 0; ; hop++) {
      if (deadline.reached)
        throw new Error('probe deadline reached or cancelled');
      const resolved = resolveThroughGuard(ctx.guard, current.hostname);
      const addresses = Array.isArray(resolved)
        ? resolved
        : await deadline.race(resolved);
      const raw = await send(
        target,
        method,
        headers,
        body,
        addresses,
        deadline,
        maxBodyBytes,
        init.ca,
        hop === 0 ? init.onSent : undefined,
      );
      const location =
        maxRedirects > 0 && REDIRECT_STATUSES.has(raw.status)
          ? headerOf(raw.message, 'location')
          : undefined;
      if (location) {
        if (hop >= maxRedirects) {
          return failure(
            'too_many_redirects',
            `more than ${maxRedirects} redirects`,
            elapsed(),
            redactUrl(current),
          );
        }
        const next = new URL(location, current);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          return failure(
            'invalid_url',
            'redirect to a non-http URL',
            elapsed(),
            redactUrl(current),
          );
        }
        if (next.origin !== current.origin) {
          for (const name of Object.keys(headers)) {
            if (CREDENTIAL_HEADERS.includes(name.toLowerCase()))
              delete headers[name];
          }
        }
        if (
          raw.status === 303 ||
          ((raw.status === 301 || raw.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
        }
        current = next;
        target = requestTarget(next);
        redirected = true;
        continue;
      }
      const text = raw.bytes.toString('utf8');
      const isJson = /\bjson\b/i.test(
        headerOf(raw.message, 'content-type') ?? '',
      );
      let json: unknown;
      if (init.expectJson || isJson) {
        try {
          json = JSON.parse(text);
        } catch {
          // A non-JSON error page (a proxy's 502, an nginx 503) is reported by its status, not as invalid JSON.
          if (init.expectJson && raw.status >= 200 && raw.status < 300) {
            return failure(
              'invalid_json',
              `HTTP ${raw.status} with a body that is not JSON`,
              elapsed(),
              redactUrl(current),
            );
          }
        }
      }
      const response: ProbeHttpResponse = {
        kind: 'response',
        status: raw.status,
        // Built by Node anyway when it returns the socket to the pool (the agent reads Keep-Alive).
        headers: raw.message.headers,
        body: text,
        bytes: raw.bytes,
        latencyMs: elapsed(),
        url: current.href,
      };
      if (json !== undefined) response.json = json;
      return response;
    }
  } catch (error) {
    const where = redactUrl(current);
    if (deadline.timedOut) {
      return failure(
        'timeout',
        `no answer within ${ctx.timeoutMs} ms`,
        elapsed(),
        where,
      );
    }
    if (deadline.cancelled)
      return failure('aborted', 'probe cancelled', elapsed(), where);
    if (error instanceof BodyTooLargeError) {
      return failure('body_too_large', error.message, elapsed(), where);
    }
    const { failure: kind, code } = classifyNetworkError(error);
    const refusal = redirected
      ? `redirected to ${where}, which was not followed: ${
          toError(error).message
        }`
      : `was not probed: ${toError(error).message}`;
    const message =
      kind === 'host_not_allowed'
        ? refusal
        : `${kind.replace(/_/g, ' ')}${code ? ` (${code})` : ''}`;
    return failure(kind, message, elapsed(), where, code);
  } finally {
    deadline.dispose();
  }
}

/**
 * Overlaps a probe's follow-up requests with its first one: `next` starts as soon as the first request is on
 * the wire (so the server still receives them in order); when the first exchange ends without its request
 * ever being sent (refused host, DNS failure, connection refused), `next` is not sent at all. Its
 * result only matters when the first answer calls for it; it never rejects unobserved. Adapters await
 * `settled()` before they return, so a probe leaves no request of its own behind.
 */
export function sentThenOverlap<F, N>(
  first: (onSent: () => void) => Promise<F>,
  next: () => Promise<N>,
): {
  first: Promise<F>;
  next: Promise<N | undefined>;
  settled(): Promise<void>;
} {
  let markSent!: () => void;
  const sent = new Promise<true>(resolve => (markSent = () => resolve(true)));
  const firstResult = first(markSent);
  // Settling before it was ever sent means the first request never left: nothing follows it.
  const notSent = firstResult.then(
    () => false,
    () => false,
  );
  const go = Promise.race([sent, notSent]);
  const nextResult = go.then(needed => (needed ? next() : undefined));
  const settled = nextResult.then(
    () => undefined,
    () => undefined,
  );
  return { first: firstResult, next: nextResult, settled: () => settled };
}

/** The shape of sentThenOverlap for a probe that already knows what the follow-up would tell. */
export function withoutFollowUp<F>(first: Promise<F>): {
  first: Promise<F>;
  next: Promise<undefined>;
  settled(): Promise<void>;
} {
  return {
    first,
    next: Promise.resolve(undefined),
    settled: () => Promise.resolve(),
  };
}

/** Convenience for adapters: true when the exchange produced an HTTP response. */
export function isHttpResponse(
  result: ProbeHttpResult,
): result is ProbeHttpResponse {
  return result.kind === 'response';
}
