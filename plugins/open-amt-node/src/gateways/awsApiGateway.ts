import type { GatewayAdapter } from '../types';
import { withRoutesNotCheckable } from './routesNotCheckable';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';

/** Why the live routes are not compared (see withRoutesNotCheckable). */
const ROUTES_NOT_CHECKABLE =
  "API Gateway lists a stage's routes only through its control plane (GetResources / GetRoutes on apigateway.<region>.amazonaws.com), signed with IAM credentials (SigV4) the probe does not have; the invoke URL does not list them, so the live routes are not compared.";

/**
 * Amazon API Gateway has no health endpoint: the stage's invoke URL is probed. Any answer below 500 comes from
 * the stage itself — including 403 "Missing Authentication Token" (API Gateway's reply for a path it has no
 * route for) and 401 from the authorizer — so the stage is up; 5xx (integration or gateway errors) is down.
 */
export const awsApiGatewayAdapter: GatewayAdapter = {
  provider: 'aws-api-gateway',
  probe: withRoutesNotCheckable(
    ROUTES_NOT_CHECKABLE,
    async (url, _expected, ctx) => {
      const subject = `API Gateway stage ${redactUrl(url)}`;
      const res = await probeHttp(url, ctx, { maxRedirects: 0 });
      if (res.kind === 'failure') return failureToProbeResult(subject, res);
      const details = {
        httpStatus: res.status,
        requestId: res.headers['x-amzn-requestid'],
        answeredByApiGateway: Boolean(
          res.headers['x-amzn-requestid'] || res.headers['x-amz-apigw-id'],
        ),
        errorType: res.headers['x-amzn-errortype'],
      };
      if (res.status >= 500) {
        return {
          status: 'down',
          latencyMs: res.latencyMs,
          message: `${subject} answered HTTP ${res.status}.`,
          details,
        };
      }
      const note =
        res.status === 403 && /Missing Authentication Token/i.test(res.body)
          ? ' (403 "Missing Authentication Token": the stage answers, the path has no route)'
          : '';
      return {
        status: 'healthy',
        latencyMs: res.latencyMs,
        message: `${subject} answers${note}.`,
        details,
      };
    },
  ),
};
