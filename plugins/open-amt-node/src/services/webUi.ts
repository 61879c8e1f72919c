import type { ServiceAdapter } from '../types';
import { failureToProbeResult, probeHttp, redactUrl } from '../net';

/** The sample Web UI is an Angular app: its index.html carries the <app-root> element. */
const APP_ROOT = /<app-root[\s>]/i;

/** Web UI (nginx, port 80): GET / must be 200 and the Angular shell page. */
export const webUiAdapter: ServiceAdapter = {
  component: 'webui',
  async probe(url, ctx) {
    const subject = `Web UI ${redactUrl(url)}`;
    const res = await probeHttp(url, ctx, { headers: { accept: 'text/html' } });
    if (res.kind === 'failure') return failureToProbeResult(subject, res);
    const title = /<title>([^<]{0,120})<\/title>/i.exec(res.body)?.[1]?.trim();
    const details = { httpStatus: res.status, title };
    if (res.status !== 200) {
      return {
        status: 'down',
        latencyMs: res.latencyMs,
        message: `${subject} answered HTTP ${res.status}.`,
        details,
      };
    }
    if (!APP_ROOT.test(res.body)) {
      return {
        status: 'degraded',
        latencyMs: res.latencyMs,
        message: `${subject} answered 200 but not with the Open AMT UI page (no <app-root>).`,
        details,
      };
    }
    return {
      status: 'healthy',
      latencyMs: res.latencyMs,
      message: `${subject} serves the UI${title ? ` "${title}"` : ''}.`,
      details,
    };
  },
};
