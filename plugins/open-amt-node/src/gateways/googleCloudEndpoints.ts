import type { GatewayAdapter } from '../types';
import { withRoutesNotCheckable } from './routesNotCheckable';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';

/** Why the live routes are not compared (see withRoutesNotCheckable). */
const ROUTES_NOT_CHECKABLE =
  "ESPv2 takes its routes from the service configuration held by Google Service Management, readable only with a Google OAuth token for the project; ESPv2's /healthz does not list them and the probe has no such token, so the live routes are not compared.";

/** Google Cloud Endpoints: ESPv2 started with --healthz=healthz answers GET /healthz with 200. */
export const googleCloudEndpointsAdapter: GatewayAdapter = {
  provider: 'google-cloud-endpoints',
  probe: withRoutesNotCheckable(
    ROUTES_NOT_CHECKABLE,
    async (url, _expected, ctx) => {
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
  ),
};
