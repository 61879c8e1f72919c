/**
 * Tyk: each API's transport pools idle upstream connections (max_idle_connections_per_host, 500 in the image's
 * tyk.conf; reverse_proxy.go:414-419) unless proxy_close_connections (env TYK_GW_PROXYCLOSECONNECTIONS) turns
 * keep-alive off (reverse_proxy.go:741). A WebSocket upgrade is sent the same way, so the relay is covered too.
 */
import { poolsUpstream, tykConfig } from '../../tykGateway';
import { tykContainers } from '../tyk';
import type { UpstreamPoolingModel } from './types';

export const tykPooling: UpstreamPoolingModel = {
  product: 'Tyk',
  describe: out =>
    tykContainers(out).length ? 'the Tyk containers' : undefined,
  pooling: out =>
    tykContainers(out)
      .filter(c => poolsUpstream(tykConfig(c.env)))
      .map(
        c =>
          `${c.where}: Tyk keeps idle upstream connections for reuse (proxy_close_connections is off)`,
      ),
};
