import { toError } from '@backstage/errors';
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type {
  CiraEndpointAdapter,
  CiraEndpointTarget,
  ProbeResult,
} from '../types';
import {
  classifyNetworkError,
  describeFailure,
  failureToProbeResult,
  ProbeFailureKind,
} from '../net/failures';
import { Deadline } from '../net/deadline';
import { pinnedLookup, resolveThroughGuard } from '../net/guardedAddresses';
import { AllowedAddress, normalizeHost } from '../net/hostGuard';

/** Fewer days left than this and the endpoint is degraded: time to renew before devices refuse it. */
export const CIRA_CERT_RENEW_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * The parts of the presented certificate the checks read, named as in getPeerCertificate()'s legacy object (which
 * tls.checkServerIdentity takes). Read from the X509Certificate view, whose fields are computed on access:
 * getPeerCertificate builds the whole legacy object (three fingerprints, the public key, the DER copy), which
 * bench:probes measured at about half of this probe's CPU.
 */
interface PresentedCertificate {
  subject: { CN?: string | string[] };
  issuer: { CN?: string | string[] };
  subjectaltname?: string;
  valid_from: string;
  valid_to: string;
  fingerprint256: string;
}

/** One attribute of an X509Certificate name (`C=US\nO=Intel\, Corp\nCN=…`, RFC 2253 escapes): an array when repeated. */
function nameAttribute(
  name: string | undefined,
  attribute: string,
): string | string[] | undefined {
  const prefix = `${attribute}=`;
  const values = (name ?? '')
    .split('\n')
    .filter(line => line.startsWith(prefix))
    .map(line =>
      line
        .slice(prefix.length)
        .replace(/\\([0-9A-Fa-f]{2}|[^])/g, (_, c: string) =>
          c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c,
        ),
    );
  return values.length > 1 ? values : values[0];
}

/**
 * Certificates read before, by SHA-256 fingerprint: MPS presents the same one on every probe until it is renewed,
 * and its fields and the name checks (tls.checkServerIdentity) come out the same. Bounded; cleared whole when full.
 */
interface KnownCertificate {
  cert: PresentedCertificate;
  /** tls.checkServerIdentity's verdict by common name: undefined when the name is covered. */
  identity: Map<string, Error | undefined>;
}
const knownCertificates = new Map<string, KnownCertificate>();
const MAX_KNOWN_CERTIFICATES = 5000;

function presented(x509: X509Certificate): KnownCertificate {
  const fingerprint256 = x509.fingerprint256;
  let known = knownCertificates.get(fingerprint256);
  if (!known) {
    known = {
      cert: {
        subject: { CN: nameAttribute(x509.subject, 'CN') },
        issuer: { CN: nameAttribute(x509.issuer, 'CN') },
        subjectaltname: x509.subjectAltName,
        valid_from: x509.validFrom,
        valid_to: x509.validTo,
        fingerprint256,
      },
      identity: new Map(),
    };
    if (knownCertificates.size >= MAX_KNOWN_CERTIFICATES)
      knownCertificates.clear();
    knownCertificates.set(fingerprint256, known);
  }
  return known;
}

/** Whether the certificate covers `name` (tls.checkServerIdentity), asked once per certificate and name. */
function identityMismatch(
  known: KnownCertificate,
  name: string,
): Error | undefined {
  if (known.identity.has(name)) return known.identity.get(name);
  const mismatch = tls.checkServerIdentity(
    name,
    known.cert as unknown as tls.PeerCertificate,
  );
  known.identity.set(name, mismatch);
  return mismatch;
}

type Handshake =
  | {
      kind: 'secure';
      /** Undefined when the server completed TLS without a certificate. */
      cert: KnownCertificate | undefined;
      protocol: string | null;
      latencyMs: number;
    }
  | { kind: 'error'; connected: boolean; error: unknown }
  | { kind: 'timeout'; connected: boolean }
  | { kind: 'aborted'; connected: boolean };

/**
 * One TLS context for every CIRA probe: Node otherwise builds a context (cipher lists, the root store) per
 * connection, which costs more CPU than the handshake. Nothing per deployment goes in it (no chain is verified).
 */
let sharedContext: tls.SecureContext | undefined;
const ciraContext = () => (sharedContext ??= tls.createSecureContext({}));

/** Connects to the checked addresses and completes one TLS handshake; the socket is destroyed as soon as it settles. */
function handshake(
  target: CiraEndpointTarget,
  addresses: AllowedAddress[] | undefined,
  deadline: Deadline,
): Promise<Handshake> {
  return new Promise(resolve => {
    const host = normalizeHost(target.host);
    const options: tls.ConnectionOptions = {
      host,
      port: target.port,
      // MPS signs its CIRA certificate with the CA it generated itself: the chain cannot be verified here, so
      // name and validity are checked below and the result says chainVerified: false.
      rejectUnauthorized: false,
      secureContext: ciraContext(),
    };
    // SNI carries the common name (the endpoint may be an internal address); SNI cannot carry an IP address.
    if (!isIP(target.commonName)) options.servername = target.commonName;
    if (addresses && !isIP(host)) options.lookup = pinnedLookup(addresses);
    const started = performance.now();
    let connected = false;
    let settled = false;
    const socket = tls.connect(options);
    const settle = (outcome: Handshake) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.once('connect', () => {
      connected = true;
    });
    socket.once('secureConnect', () => {
      const latencyMs = Math.round(performance.now() - started);
      const x509 = socket.getPeerX509Certificate();
      settle({
        kind: 'secure',
        cert: x509 && presented(x509),
        protocol: socket.getProtocol(),
        latencyMs,
      });
    });
    socket.on('error', error => settle({ kind: 'error', connected, error }));
    socket.once('close', () =>
      settle({
        kind: 'error',
        connected,
        error: Object.assign(new Error('closed'), { code: 'ECONNRESET' }),
      }),
    );
    deadline.track(() =>
      settle({ kind: deadline.timedOut ? 'timeout' : 'aborted', connected }),
    );
  });
}

function hostPortOf(target: CiraEndpointTarget): string {
  return target.host.includes(':')
    ? `[${target.host}]:${target.port}`
    : `${target.host}:${target.port}`;
}

/** The names a certificate covers: its subjectAltName entries, else its subject CN. */
function subjectAltNames(cert: PresentedCertificate): string[] {
  return (cert.subjectaltname ?? '')
    .split(', ')
    .map(entry => entry.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A failed handshake after the TCP connection was accepted: something answers on the port, but not MPS's TLS. */
function noTls(
  where: string,
  kind: ProbeFailureKind,
  code: string | undefined,
): ProbeResult {
  let because = 'it answered, but not with a TLS handshake';
  let meaning = 'plain TCP or HTTP listens there, not MPS';
  if (kind === 'connection_reset') {
    because = 'the connection was closed during the TLS handshake';
    meaning = 'devices cannot reach MPS there';
  } else if (/ALERT/.test(code ?? '')) {
    because = 'the server refused the TLS handshake';
    meaning = 'devices cannot reach MPS there';
  }
  return {
    status: 'down',
    message: `No TLS on ${where} — ${because}${
      code ? ` (${code})` : ''
    }: ${meaning}.`,
    details: { failure: kind, ...(code ? { code } : {}), stage: 'handshake' },
  };
}

/** What the certificate says, as the result's details (public facts only). */
function certificateDetails(
  cert: PresentedCertificate,
  protocol: string | null,
  validTo: number,
  daysLeft: number,
) {
  return {
    subjectCN: firstOf(cert.subject?.CN),
    subjectAltNames: subjectAltNames(cert),
    issuerCN: firstOf(cert.issuer?.CN),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(validTo).toISOString(),
    daysLeft,
    fingerprint256: cert.fingerprint256,
    tlsProtocol: protocol ?? undefined,
    // Never claimed: MPS's CA is its own and the portal does not hold it.
    chainVerified: false,
  };
}

/** Judges the certificate MPS presented: covers the common name, is valid now, and for long enough. */
function judgeCertificate(
  target: CiraEndpointTarget,
  subject: string,
  result: Extract<Handshake, { kind: 'secure' }>,
): ProbeResult {
  const { protocol, latencyMs } = result;
  const cert = result.cert?.cert;
  const cn = target.commonName;
  if (!result.cert || !cert) {
    return {
      status: 'down',
      latencyMs,
      message: `${subject} completed TLS without presenting a certificate.`,
      details: { tlsProtocol: protocol ?? undefined, chainVerified: false },
    };
  }
  const validFrom = Date.parse(cert.valid_from);
  const validTo = Date.parse(cert.valid_to);
  if (Number.isNaN(validFrom) || Number.isNaN(validTo)) {
    return {
      status: 'degraded',
      latencyMs,
      message: `${subject} presents a certificate whose validity dates cannot be read.`,
      details: {
        subjectCN: firstOf(cert.subject?.CN),
        fingerprint256: cert.fingerprint256,
        chainVerified: false,
      },
    };
  }
  const now = Date.now();
  // Whole days left, rounded down: negative once expired.
  const daysLeft = Math.floor((validTo - now) / DAY_MS);
  const details = certificateDetails(cert, protocol, validTo, daysLeft);

  const mismatch = identityMismatch(result.cert, cn);
  if (mismatch) {
    const names = details.subjectAltNames.length
      ? details.subjectAltNames
      : [details.subjectCN ?? '(no name)'];
    return {
      status: 'down',
      latencyMs,
      message: `${subject} presents a certificate for ${names.join(
        ', ',
      )}, which does not cover ${cn}: the gateway may be terminating TLS instead of passing port 4433 through to MPS.`,
      details,
    };
  }
  if (validTo <= now) {
    return {
      status: 'down',
      latencyMs,
      message: `${subject} presents MPS's certificate for ${cn}, but it expired on ${isoDate(
        validTo,
      )}: devices refuse it.`,
      details,
    };
  }
  if (validFrom > now) {
    return {
      status: 'down',
      latencyMs,
      message: `${subject} presents MPS's certificate for ${cn}, but it is not valid before ${new Date(
        validFrom,
      ).toISOString()}: devices refuse it (check the server clock).`,
      details,
    };
  }
  if (daysLeft < CIRA_CERT_RENEW_DAYS) {
    return {
      status: 'degraded',
      latencyMs,
      message: `${subject} presents MPS's certificate for ${cn}, which expires ${
        daysLeft === 0 ? 'within a day' : `in ${plural(daysLeft, 'day')}`
      } (${isoDate(validTo)}): renew it before devices refuse it.`,
      details,
    };
  }
  return {
    status: 'healthy',
    latencyMs,
    message: `${subject} presents MPS's certificate for ${cn}, valid ${daysLeft} more days.`,
    details,
  };
}

/**
 * MPS's CIRA endpoint (TCP 4433, raw TLS that MPS terminates itself): one guarded TLS handshake with SNI = the
 * common name, then the socket is closed — no request is sent. Down when nothing listens, when the port does
 * not speak TLS, or when the certificate does not cover the common name (a gateway terminating TLS) or is out
 * of date; degraded when it expires within CIRA_CERT_RENEW_DAYS. The chain is not verified (MPS's own CA).
 */
export const ciraEndpointAdapter: CiraEndpointAdapter = {
  async probe(target, ctx) {
    const where = hostPortOf(target);
    const subject = `CIRA endpoint ${where}`;
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    const failed = (
      failure: ProbeFailureKind,
      code?: string,
      message = describeFailure(failure),
    ) =>
      failureToProbeResult(subject, {
        failure,
        code,
        message,
        latencyMs: elapsedMs(),
        url: where,
      });
    // One deadline for DNS, connect and handshake (a lookup cannot be cancelled, only abandoned).
    const deadline = new Deadline(ctx.timeoutMs, ctx.signal);
    try {
      let addresses: AllowedAddress[] | undefined;
      try {
        const resolved = resolveThroughGuard(ctx.guard, target.host);
        addresses = Array.isArray(resolved)
          ? resolved
          : await deadline.race(resolved);
      } catch (error) {
        if (deadline.timedOut) return failed('timeout');
        if (deadline.cancelled) return failed('aborted');
        const { failure, code } = classifyNetworkError(error);
        // The guard's sentence (which rule refused the host, what to do) is the message of a refusal.
        if (failure === 'host_not_allowed')
          return failed(
            failure,
            undefined,
            `was not probed: ${toError(error).message}`,
          );
        return failed(failure, code);
      }

      const result = await handshake(target, addresses, deadline);
      if (result.kind === 'secure')
        return judgeCertificate(target, subject, result);
      if (result.kind === 'aborted') return failed('aborted');
      if (result.kind === 'timeout') {
        if (!result.connected) return failed('timeout');
        return {
          status: 'down',
          message: `${subject} accepted the connection but completed no TLS handshake within ${ctx.timeoutMs} ms.`,
          details: {
            failure: 'timeout',
            stage: 'handshake',
            elapsedMs: elapsedMs(),
          },
        };
      }
      const { failure, code } = classifyNetworkError(result.error);
      if (!result.connected) return failed(failure, code);
      const noTlsResult = noTls(where, failure, code);
      return {
        ...noTlsResult,
        details: { ...noTlsResult.details, elapsedMs: elapsedMs() },
      };
    } finally {
      deadline.dispose();
    }
  },
};
