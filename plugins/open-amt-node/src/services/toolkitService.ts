import type { ProbeContext, ProbeResult } from '../types';
import { failureToProbeResult, probeBudget, probeHttp, redactUrl, sentThenOverlap } from '../net';
import { joinUrl } from '../net';
import { failedParts, isToolkitHealthBody, partDetails } from './healthBody';

/**
 * MPS and RPS answer health the same way: 200 healthy, 503 when the database or the secret store is not OK
 * (the body says which), 500 when the check itself threw. The version endpoint adds serviceVersion (and RPS's
 * protocolVersion); its failure does not change the status.
 */
export async function probeToolkitService(
  label: string,
  baseUrl: string,
  paths: { health: string; version: string },
  ctx: ProbeContext,
): Promise<ProbeResult> {
  const subject = `${label} ${redactUrl(baseUrl)}`;
  const budget = probeBudget(ctx);
  // The version request overlaps the health request (one round trip instead of two); it is read only when healthy.
  const exchange = sentThenOverlap(
    onSent => probeHttp(joinUrl(baseUrl, paths.health), budget.next(), { expectJson: true, onSent }),
    () => probeHttp(joinUrl(baseUrl, paths.version), budget.next(), { expectJson: true }),
  );
  try {
    const res = await exchange.first;
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    const body = isToolkitHealthBody(res.json) ? res.json : undefined;
    const details: Record<string, unknown> = { httpStatus: res.status, ...(body ? partDetails(body) : {}) };

    if (res.status === 200 && body) {
      const version = await exchange.next;
      if (version?.kind === 'response' && version.status === 200) {
        const v = version.json as { serviceVersion?: string; protocolVersion?: string };
        details.version = v.serviceVersion;
        if (v.protocolVersion) details.protocolVersion = v.protocolVersion;
      }
      return { status: 'healthy', latencyMs: res.latencyMs, message: `${subject} is healthy (database and secret store OK).`, details };
    }
    if (res.status === 503 && body) {
      const parts = failedParts(body);
      return {
        status: 'down',
        latencyMs: res.latencyMs,
        message: `${subject} reports ${parts.length ? parts.join(' and ') : 'a failed dependency'}.`,
        details: { ...details, failed: parts },
      };
    }
    if (res.status === 200) {
      return { status: 'down', latencyMs: res.latencyMs, message: `${subject} answered 200 but not with a health report: is this ${label}?`, details };
    }
    return { status: 'down', latencyMs: res.latencyMs, message: `${subject} answered its health check with HTTP ${res.status}.`, details };
  } finally {
    await exchange.settled();
  }
}
