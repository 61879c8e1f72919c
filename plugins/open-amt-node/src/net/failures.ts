import type { ProbeResult } from '../types';

/** Why an HTTP probe got no usable answer. */
export type ProbeFailureKind =
  | 'timeout'
  | 'dns_failure'
  | 'connection_refused'
  | 'connection_reset'
  | 'no_route'
  | 'tls_error'
  | 'body_too_large'
  | 'invalid_json'
  | 'host_not_allowed'
  | 'too_many_redirects'
  | 'invalid_url'
  | 'aborted'
  | 'network_error';

export interface ProbeFailure {
  failure: ProbeFailureKind;
  /**
   * What happened, for operators; never contains secrets (no headers, no bodies). For host_not_allowed, a verb
   * phrase that follows the probe's subject ("was not probed: <the guard's sentence>").
   */
  message: string;
  /** The underlying error code (e.g. ERR_TLS_CERT_ALTNAME_INVALID, ECONNREFUSED), when there is one. */
  code?: string;
  latencyMs: number;
  url: string;
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|EPROTO)/;

/** Maps a Node socket/TLS/DNS error to a failure kind. */
export function classifyNetworkError(error: unknown): {
  failure: ProbeFailureKind;
  code?: string;
} {
  const err = error as NodeJS.ErrnoException & { reason?: string };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (err?.name === 'HostNotAllowedError')
    return { failure: 'host_not_allowed' };
  if (!code) return { failure: 'network_error' };
  if (
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ENODATA' ||
    code === 'EAI_NONAME' ||
    code === 'EAI_FAIL'
  ) {
    return { failure: 'dns_failure', code };
  }
  if (code === 'ECONNREFUSED') return { failure: 'connection_refused', code };
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  ) {
    return { failure: 'connection_reset', code };
  }
  if (
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EADDRNOTAVAIL'
  ) {
    return { failure: 'no_route', code };
  }
  if (TLS_CODE.test(code)) return { failure: 'tls_error', code };
  return { failure: 'network_error', code };
}

const HUMAN: Record<ProbeFailureKind, string> = {
  timeout: 'did not answer within the time limit',
  dns_failure: 'host name does not resolve',
  connection_refused: 'refused the connection (nothing listening)',
  connection_reset: 'closed the connection without an answer',
  no_route: 'is not reachable on the network',
  tls_error: 'failed TLS verification',
  body_too_large: 'answered with a body larger than the probe accepts',
  invalid_json: 'answered with a body that is not valid JSON',
  host_not_allowed:
    'was not probed: its host is not in openAmt.health.allowedHosts or is a link-local / metadata address',
  too_many_redirects: 'redirected too many times',
  invalid_url: 'has an invalid URL',
  aborted: 'probe was cancelled',
  network_error: 'could not be reached',
};

export function describeFailure(kind: ProbeFailureKind): string {
  return HUMAN[kind];
}

/**
 * The status a failed probe records: a refused host is a configuration matter (unknown), everything else means
 * the component did not answer as it must (down).
 */
export function failureStatus(kind: ProbeFailureKind): ProbeResult['status'] {
  return kind === 'host_not_allowed' ||
    kind === 'aborted' ||
    kind === 'invalid_url'
    ? 'unknown'
    : 'down';
}

/**
 * What happened to a failed HTTP exchange as one clause after its subject, without the closing period, e.g.
 * "Vault at http://vault:8200 refused the connection (nothing listening) (ECONNREFUSED)".
 */
export function describeUnanswered(
  subject: string,
  failure: Pick<ProbeFailure, 'failure' | 'message' | 'code'>,
): string {
  // A refusal is the guard's one sentence (which host, which rule, what to do), also when a redirect led
  // there; the generic phrase only when there is none. Never both: they would say the same thing twice.
  const refusal =
    failure.failure === 'host_not_allowed' && failure.message
      ? failure.message
      : undefined;
  return `${subject} ${refusal ?? describeFailure(failure.failure)}${
    failure.code ? ` (${failure.code})` : ''
  }`;
}

/** Turns a failed HTTP exchange into a ProbeResult, naming what was probed. */
export function failureToProbeResult(
  subject: string,
  failure: ProbeFailure,
): ProbeResult {
  // Latency only when something answered (a body that was too large or not JSON).
  const answered =
    failure.failure === 'body_too_large' || failure.failure === 'invalid_json';
  return {
    status: failureStatus(failure.failure),
    latencyMs: answered ? failure.latencyMs : undefined,
    message: `${describeUnanswered(subject, failure)}.`,
    details: {
      failure: failure.failure,
      ...(failure.code ? { code: failure.code } : {}),
      ...(failure.failure === 'host_not_allowed'
        ? { refused: failure.url }
        : {}),
      elapsedMs: failure.latencyMs,
    },
  };
}
