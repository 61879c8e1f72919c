/**
 * Kong (kong.conf.default, Kong 3.x configuration reference): `proxy_listen` is a comma-separated list of
 * `<address>:<port> [flags]`, the `ssl` flag makes that port TLS with `ssl_cert` / `ssl_cert_key` (Kong generates a
 * self-signed default certificate when they are unset); `stream_listen` opens raw TCP ports whose traffic goes to the
 * service of the `tcp` route with that destination port. Environment `KONG_<NAME>` sets `<name>`. Not verified
 * against a running Kong here (docs only).
 */
import type { RenderedOutput } from '../../output';
import type { GatewayListenerModel, Listener } from './types';

const entries = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(s => s && s !== 'off');

function streamTarget(out: RenderedOutput, port: number) {
  const config = out.yaml('gateway/kong/kong.yaml')[0] as any;
  for (const service of config?.services ?? []) {
    const tcp = (service.routes ?? []).some(
      (r: any) =>
        (r.protocols ?? []).includes('tcp') &&
        (r.destinations ?? []).some((d: any) => d.port === port),
    );
    if (!tcp) continue;
    const url = /^tcp:\/\/([^:/]+):(\d+)/.exec(String(service.url ?? ''));
    if (url) return { host: url[1], port: Number(url[2]) };
  }
  return undefined;
}

export const kongListeners: GatewayListenerModel = {
  product: 'Kong',
  runs: image => /(^|\/)kong:/.test(image),
  listeners(out, { env }) {
    const listeners: Listener[] = [];
    for (const entry of entries(env.KONG_PROXY_LISTEN ?? '0.0.0.0:8000')) {
      const [address, ...flags] = entry.split(/\s+/);
      const port = Number(address.split(':').pop());
      const tls = flags.includes('ssl');
      listeners.push({
        port,
        http: tls
          ? {
              tls: [env.KONG_SSL_CERT, env.KONG_SSL_CERT_KEY].filter(
                (f): f is string => !!f,
              ),
            }
          : 'plain',
      });
    }
    for (const entry of entries(env.KONG_STREAM_LISTEN)) {
      const port = Number(entry.split(/\s+/)[0].split(':').pop());
      listeners.push({ port, streamsTo: streamTarget(out, port) });
    }
    return listeners;
  },
};
