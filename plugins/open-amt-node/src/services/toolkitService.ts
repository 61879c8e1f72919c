import type { ProbeContext, ProbeResult } from '../types';
import {
  failureToProbeResult,
  probeBudget,
  probeHttp,
  ProbeHttpResult,
  redactUrl,
  sentThenOverlap,
  withoutFollowUp,
} from '../net';
import { joinUrl } from '../net';
import { failedParts, isToolkitHealthBody, partDetails } from './healthBody';

/**
 * MPS and RPS answer health the same way: 200 healthy, 503 when the database or the secret store is not OK
 * (the body says which), 500 when the check itself threw. The version endpoint adds serviceVersion (and RPS's
 * protocolVersion); its failure does not change the status.
 */
interface VersionFacts {
  serviceVersion?: string;
  protocolVersion?: string;
}

const VERSION_FACT = 'version';

export async function probeToolkitService(
  label: string,
  baseUrl: string,
  paths: { health: string; version: string },
  ctx: ProbeContext,
): Promise<ProbeResult> {
  const subject = `${label} ${redactUrl(baseUrl)}`;
  const budget = probeBudget(ctx);
  // A version learned since the service was last healthy is still its version: only health is asked then.
  const known = ctx.memory?.recall<VersionFacts>(VERSION_FACT);
  // Otherwise the version request overlaps the health request (one round trip instead of two); it is read only when healthy.
  const health = (onSent?: () => void) =>
    probeHttp(joinUrl(baseUrl, paths.health), budget.next(), {
      expectJson: true,
      onSent,
    });
  const exchange = known
    ? withoutFollowUp(health())
    : sentThenOverlap(health, () =>
        probeHttp(joinUrl(baseUrl, paths.version), budget.next(), {
          expectJson: true,
        }),
      );
  try {
    const res = await exchange.first;
    const healthy =
      res.kind === 'response' &&
      res.status === 200 &&
      isToolkitHealthBody(res.json);
    // A restart (and so an upgrade) shows as a failed health check: the version is asked again after it.
    if (!healthy) ctx.memory?.forget(VERSION_FACT);
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    const body = isToolkitHealthBody(res.json) ? res.json : undefined;
    const details: Record<string, unknown> = {
      httpStatus: res.status,
      ...(body ? partDetails(body) : {}),
    };

    if (healthy) {
      const version = known ?? (await readVersion(exchange.next));
      if (version && !known) ctx.memory?.remember(VERSION_FACT, version);
      if (version?.serviceVersion) details.version = version.serviceVersion;
      if (version?.protocolVersion)
        details.protocolVersion = version.protocolVersion;
      // Only what the service said of itself: its view of its database and secret store is in details, and
      // the deployment's own database and secret-store rows (probed from the portal) may disagree with it.
      return {
        status: 'healthy',
        latencyMs: res.latencyMs,
        message: `${subject} reports itself healthy.`,
        details,
      };
    }
    if (res.status === 503 && body) {
      const parts = failedParts(body);
      return {
        status: 'down',
        latencyMs: res.latencyMs,
        message: `${subject} reports ${
          parts.length ? parts.join(' and ') : 'a failed dependency'
        }.`,
        details: { ...details, failed: parts },
      };
    }
    if (res.status === 200) {
      return {
        status: 'down',
        latencyMs: res.latencyMs,
        message: `${subject} answered 200 but not with a health report: is this ${label}?`,
        details,
      };
    }
    return {
      status: 'down',
      latencyMs: res.latencyMs,
      message: `${subject} answered its health check with HTTP ${res.status}.`,
      details,
    };
  } finally {
    await exchange.settled();
  }
}

async function readVersion(
  pending: Promise<ProbeHttpResult | undefined>,
): Promise<VersionFacts | undefined> {
  const version = await pending;
  if (
    version?.kind !== 'response' ||
    version.status !== 200 ||
    !version.json ||
    typeof version.json !== 'object'
  )
    return undefined;
  const v = version.json as VersionFacts;
  return {
    serviceVersion: v.serviceVersion,
    ...(v.protocolVersion ? { protocolVersion: v.protocolVersion } : {}),
  };
}
