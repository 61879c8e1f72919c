import type { GatewayAdapter } from '../types';
import { withRoutesNotCheckable } from './routesNotCheckable';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';

/** Why the live routes are not compared (see withRoutesNotCheckable). */
const ROUTES_NOT_CHECKABLE =
  'API Management lists its APIs and operations only through Azure Resource Manager (management.azure.com), with an Entra ID token holding a role on the service; the probe has the gateway URL only, whose status endpoint does not list routes, so the live routes are not compared.';

/** Azure API Management's built-in gateway health endpoint: 200 while the gateway serves. */
export const azureApimAdapter: GatewayAdapter = {
  provider: 'azure-apim',
  probe: withRoutesNotCheckable(
    ROUTES_NOT_CHECKABLE,
    async (url, _expected, ctx) => {
      const subject = `API Management gateway ${redactUrl(url)}`;
      const res = await probeHttp(
        joinUrl(url, '/status-0123456789abcdef'),
        ctx,
        {
          maxRedirects: 0,
        },
      );
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
  ),
};
