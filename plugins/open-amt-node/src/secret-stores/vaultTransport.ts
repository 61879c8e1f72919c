import type { ProbeContext } from '../types';
import { describeUnanswered, originOf, ProbeFailure, probeHttp } from '../net';

/**
 * A Vault request that got no HTTP answer (timeout, DNS, TLS, refused host…), classified; its message is one clause,
 * e.g. "Vault at http://vault:8200 refused the connection (nothing listening) (ECONNREFUSED)".
 */
export class StoreTransportError extends Error {
  constructor(readonly failure: ProbeFailure) {
    super(describeUnanswered(`Vault at ${originOf(failure.url)}`, failure));
    this.name = 'StoreTransportError';
  }
}

/** One probe's view of a shared client: its time budget and the status codes its calls got. */
export interface VaultCall {
  nextCtx: () => ProbeContext;
  statuses: Map<string, { status: number; latencyMs: number }>;
}

/** Passed per call through node-vault's `requestOptions`, which it hands to the transport untouched. */
export interface VaultCallOptions {
  probe?: VaultCall;
  onSent?: () => void;
}

interface RpOptions extends VaultCallOptions {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
}

/** One Vault request through the transport: node-vault's `request-promise` shape. */
export type VaultRequest = (options: RpOptions) => Promise<{
  statusCode: number;
  body: unknown;
  request: { path: string };
}>;

/**
 * node-vault's pluggable `request-promise` transport, backed by probeHttp: every Vault call goes through the host
 * guard, the time budget and the body cap, and the status code of each path is kept (node-vault hands back
 * sys/health bodies without their status code).
 */
export function createVaultTransport(nextCtx: () => ProbeContext, ca?: string) {
  const own: VaultCall = { nextCtx, statuses: new Map() };
  const request: VaultRequest = async options => {
    const call = options.probe ?? own;
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined && typeof options.json === 'object') {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const result = await probeHttp(options.uri, call.nextCtx(), {
      method: options.method,
      headers,
      body,
      ca,
      onSent: options.onSent,
    });
    if (result.kind === 'failure') throw new StoreTransportError(result);
    const path = new URL(options.uri).pathname;
    call.statuses.set(path, {
      status: result.status,
      latencyMs: result.latencyMs,
    });
    let parsed: unknown = result.json;
    if (parsed === undefined && result.body) {
      try {
        parsed = JSON.parse(result.body);
      } catch {
        parsed = result.body;
      }
    }
    return { statusCode: result.status, body: parsed, request: { path } };
  };
  return {
    requestPromise: { defaults: () => request },
    /** Status and latency of the last call to `path` (e.g. /v1/sys/health) without a per-call VaultCall. */
    last: (path: string) => own.statuses.get(path),
  };
}
