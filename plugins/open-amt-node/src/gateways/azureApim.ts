import type { GatewayAdapter } from '../types';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';

/** Azure API Management's built-in gateway health endpoint: 200 while the gateway serves. */
export const azureApimAdapter: GatewayAdapter = {
  provider: 'azure-apim',
  async probe(url, _expected, ctx) {
    const subject = `API Management gateway ${redactUrl(url)}`;
    const res = await probeHttp(joinUrl(url, '/status-0123456789abcdef'), ctx, {
      maxRedirects: 0,
    });
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    if (res.status === 200)
      return {
        status: 'healthy',
        latencyMs: res.latencyMs,
        message: `${subject} is serving.`,
        details: { httpStatus: 200 },
      };
    return {
      status: 'down',
      latencyMs: res.latencyMs,
      message: `${subject} answered its health endpoint with HTTP ${res.status}.`,
      details: { httpStatus: res.status },
    };
  },
};
