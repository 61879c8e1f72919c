import type { GatewayAdapter } from '../types';
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

/** Tyk Gateway GET /hello: status pass | warn | fail, with one entry per dependency (redis, dashboard, rpc). */
export const tykAdapter: GatewayAdapter = {
  provider: 'tyk',
  async probe(url, _expected, ctx) {
    const subject = `Tyk gateway ${redactUrl(url)}`;
    const res = await probeHttp(joinUrl(url, '/hello'), ctx, {
      expectJson: true,
    });
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    const body = (res.json ?? {}) as TykHello;
    const components = Object.entries(body.details ?? {}).map(([name, c]) => ({
      name,
      status: c.status,
      output: c.output,
    }));
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
};
