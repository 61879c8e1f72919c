import type { ClassifiedError, DatabaseProbeReason } from './probeModel';
import { ProbeDeadlineError } from './probeModel';

/** Node socket/DNS/TLS error codes every driver passes through (directly or as `cause`). */
const NODE_CODES: Record<string, DatabaseProbeReason> = {
  ECONNREFUSED: 'cannot_connect',
  ENOTFOUND: 'cannot_connect',
  EAI_AGAIN: 'cannot_connect',
  EHOSTUNREACH: 'cannot_connect',
  ENETUNREACH: 'cannot_connect',
  EHOSTDOWN: 'cannot_connect',
  ETIMEDOUT: 'timeout',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_error',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_error',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_error',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_error',
  CERT_HAS_EXPIRED: 'tls_error',
  CERT_NOT_YET_VALID: 'tls_error',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_error',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls_error',
  EPROTO: 'tls_error',
};

const TLS_MESSAGE =
  /self[- ]signed|certificate|altname|hostname\/ip does not match|does not support ssl|ssl|tls/i;

/** Walks error → cause → originalError looking for a Node code we know. */
export function classifyNodeError(
  error: unknown,
  opts: { tlsRequested: boolean },
): DatabaseProbeReason | undefined {
  for (
    let e = error as any, depth = 0;
    e && depth < 5;
    e = e.cause ?? e.originalError, depth++
  ) {
    if (e instanceof ProbeDeadlineError || e?.name === 'AbortError')
      return 'timeout';
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && NODE_CODES[code]) return NODE_CODES[code];
    // A reset before the session is up is what a failed TLS negotiation looks like from the client side.
    if (code === 'ECONNRESET')
      return opts.tlsRequested ? 'tls_error' : 'cannot_connect';
    const message = String(e.message ?? '');
    const known = Object.keys(NODE_CODES).find(c => message.includes(c));
    if (known) return NODE_CODES[known];
    if (opts.tlsRequested && TLS_MESSAGE.test(message)) return 'tls_error';
  }
  return undefined;
}

export function errorCode(error: unknown): string | undefined {
  const e = error as any;
  const code = e?.code ?? e?.cause?.code ?? e?.originalError?.code;
  if (typeof code === 'string') return code;
  return typeof e?.errno === 'number' ? String(e.errno) : undefined;
}

export function fallback(
  error: unknown,
  reason: DatabaseProbeReason,
  password?: string,
): ClassifiedError {
  const message = String((error as any)?.message ?? error);
  return {
    reason,
    code: errorCode(error),
    detail: password ? message.split(password).join('***') : message,
  };
}
