/**
 * ESPv2 (GoogleCloudPlatform/esp-v2 v2.51.0): it listens on `--listener_port` (docker/generic/start_proxy.py:48,175:
 * default 8080); only with `--ssl_server_cert_path=<dir>` does that port speak TLS
 * (src/go/configgenerator/listener_generator.go:129-141), with `<dir>/server.crt` and `<dir>/server.key`
 * (src/go/util/transport_socket.go:28, start_proxy.py:185-194). Without it the port is plain HTTP. It has no TCP proxy.
 */
import type { GatewayListenerModel } from './types';

function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    if (args[i] === `--${name}`) return args[i + 1];
  }
  return undefined;
}

export const espv2Listeners: GatewayListenerModel = {
  product: 'ESPv2',
  runs: image => /(^|\/)endpoints-runtime(-serverless)?:/.test(image),
  listeners(_out, { args }) {
    const dir = flag(args, 'ssl_server_cert_path');
    return [
      {
        port: Number(flag(args, 'listener_port') ?? 8080),
        http: dir
          ? {
              tls: [
                `${dir.replace(/\/$/, '')}/server.crt`,
                `${dir.replace(/\/$/, '')}/server.key`,
              ],
            }
          : 'plain',
      },
    ];
  },
};
