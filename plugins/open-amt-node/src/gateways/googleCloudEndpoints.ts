import type { GatewayAdapter } from '../types';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';

/** Google Cloud Endpoints: ESPv2 started with --healthz=healthz answers GET /healthz with 200. */
export const googleCloudEndpointsAdapter: GatewayAdapter = {
  provider: 'google-cloud-endpoints',
  async probe(url, _expected, ctx) {
    const subject = `ESPv2 ${redactUrl(url)}`;
    const res = await probeHttp(joinUrl(url, '/healthz'), ctx, {
      maxRedirects: 0,
    });
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    if (res.status === 200)
      return {
        status: 'healthy',
        latencyMs: res.latencyMs,
        message: `${subject} is healthy.`,
        details: { httpStatus: 200 },
      };
    const hint =
      res.status === 404 ? ' (is ESPv2 started with --healthz=healthz?)' : '';
    return {
      status: 'down',
      latencyMs: res.latencyMs,
      message: `${subject} answered /healthz with HTTP ${res.status}${hint}.`,
      details: { httpStatus: res.status },
    };
  },
};
