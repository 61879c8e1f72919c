import type { ServiceAdapter } from '../types';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';
import { failedParts, isToolkitHealthBody, partDetails } from './healthBody';

/**
 * mps-router has no health endpoint of its own: GET <router>/api/v1/health must come back as MPS's health report.
 * Any MPS report (200, or 503 naming MPS's failing part) proves the router forwards; anything else means it does
 * not. MPS's own state is the MPS component's business and only noted here.
 */
export const mpsRouterAdapter: ServiceAdapter = {
  component: 'mpsrouter',
  async probe(url, ctx) {
    const subject = `MPS Router ${redactUrl(url)}`;
    const res = await probeHttp(joinUrl(url, '/api/v1/health'), ctx, {
      expectJson: true,
    });
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    if (
      (res.status === 200 || res.status === 503) &&
      isToolkitHealthBody(res.json)
    ) {
      const parts = failedParts(res.json);
      return {
        status: 'healthy',
        latencyMs: res.latencyMs,
        message: `${subject} reaches MPS${
          parts.length ? ` (MPS reports ${parts.join(' and ')})` : ''
        }.`,
        details: { httpStatus: res.status, mps: partDetails(res.json) },
      };
    }
    return {
      status: 'down',
      latencyMs: res.latencyMs,
      message: `${subject} answered HTTP ${res.status} without MPS's health report: it does not reach MPS.`,
      details: { httpStatus: res.status },
    };
  },
};
