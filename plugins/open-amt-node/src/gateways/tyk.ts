import type { GatewayAdapter } from '../types';
import { withRoutesNotCheckable } from './routesNotCheckable';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';
import { joinUrl } from '../net';

interface TykHello {
  status?: 'pass' | 'warn' | 'fail';
  version?: string;
  description?: string;
  details?: Record<
    string,
    { status?: string; componentType?: string; output?: string; time?: string }
  >;
}

const STATUS = { pass: 'healthy', warn: 'degraded', fail: 'down' } as const;

/** Why the live routes are not compared (see withRoutesNotCheckable). */
const ROUTES_NOT_CHECKABLE =
  "Tyk lists its live API definitions only through its Gateway API (GET /tyk/apis), which requires the gateway's shared secret in the x-tyk-authorization header (tyk.io/docs/tyk-rest-api); the probe reaches /hello with no credential, so the live routes are not compared.";

/** Tyk Gateway GET /hello: status pass | warn | fail, with one entry per dependency (redis, dashboard, rpc). */
export const tykAdapter: GatewayAdapter = {
  provider: 'tyk',
  probe: withRoutesNotCheckable(
    ROUTES_NOT_CHECKABLE,
    async (url, _expected, ctx) => {
      const subject = `Tyk gateway ${redactUrl(url)}`;
      const res = await probeHttp(joinUrl(url, '/hello'), ctx, {
        expectJson: true,
      });
      if (res.kind === 'failure') return failureToProbeResult(subject, res);
      const body = (res.json ?? {}) as TykHello;
      const components = Object.entries(body.details ?? {}).map(
        ([name, c]) => ({
          name,
          status: c.status,
          output: c.output,
        }),
      );
      const failing = components.filter(c => c.status && c.status !== 'pass');
      const details = {
        version: body.version,
        httpStatus: res.status,
        components,
      };
      const status = body.status ? STATUS[body.status] : undefined;
      if (!status) {
        return {
          status: 'down',
          latencyMs: res.latencyMs,
          message: `${subject} answered /hello with HTTP ${res.status} and no health status.`,
          details,
        };
      }
      const which = failing
        .map(c => `${c.name} ${c.status}${c.output ? ` (${c.output})` : ''}`)
        .join(', ');
      return {
        status,
        latencyMs: res.latencyMs,
        message:
          status === 'healthy'
            ? `${subject} reports pass.`
            : `${subject} reports ${body.status}${which ? `: ${which}` : ''}.`,
        details,
      };
    },
  ),
};
