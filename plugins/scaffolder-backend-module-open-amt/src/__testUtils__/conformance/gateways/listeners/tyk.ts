/**
 * Tyk Gateway (tyk.conf reference; environment `TYK_GW_<SECTION><FIELD>`): it listens on `listen_port` (default
 * 8080), in TLS when `http_server_options.use_ssl` is true with the PEM files of `http_server_options.ssl_certificates`;
 * a TCP API (`protocol: tcp`) listens on its own `listen_port` and passes the bytes to its `proxy.target_url`. Not
 * verified against a running Tyk here (docs only); which extra ports Tyk opens is the Tyk model's concern.
 */
import type { GatewayListenerModel, Listener } from './types';

export const tykListeners: GatewayListenerModel = {
  product: 'Tyk',
  runs: image => /(^|\/)tyk-gateway:/.test(image),
  listeners(out, { env }) {
    const port = Number(env.TYK_GW_LISTENPORT ?? 8080);
    const listeners: Listener[] = [
      {
        port,
        http:
          env.TYK_GW_HTTPSERVEROPTIONS_USESSL === 'true'
            ? {
                tls: (env.TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES ?? '')
                  .split(',')
                  .filter(Boolean),
              }
            : 'plain',
      },
    ];
    for (const file of out.files.filter(f =>
      /^gateway\/tyk\/apps\/.*\.json$/.test(f.path),
    )) {
      const api = out.yaml(file.path)[0] as any;
      if (api?.protocol !== 'tcp') continue;
      const url = /^tcp:\/\/([^:/]+):(\d+)/.exec(
        String(api.proxy?.target_url ?? ''),
      );
      listeners.push({
        port: Number(api.listen_port),
        streamsTo: url ? { host: url[1], port: Number(url[2]) } : undefined,
      });
    }
    return listeners;
  },
};
