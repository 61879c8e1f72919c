/**
 * ESPv2 is Envoy: its HTTP/1.1 upstream connection pool keeps connections for reuse (Envoy "Connection pooling"),
 * and ESPv2 exposes no setting for it: no flag (esp-v2 v2.51.0 src/go/configmanager/flags/flags.go,
 * docker/generic/start_proxy.py) and no x-google-backend field (address, path_translation, deadline, protocol,
 * jwt_audience, disable_auth) touches the cluster's connection reuse. A WebSocket upgrade takes its connection for
 * the stream's life (Envoy upgrades; docs, not verified here).
 */
import type { UpstreamPoolingModel } from './types';

const SWAGGER = 'gateway/google-cloud-endpoints/openapi.yaml';

export const espv2Pooling: UpstreamPoolingModel = {
  product: 'ESPv2',
  describe: out => (out.file(SWAGGER) ? SWAGGER : undefined),
  pooling: () => ({
    noSwitch:
      'ESPv2 (Envoy) reuses upstream HTTP/1.1 connections and offers no flag or x-google-backend field to turn that off',
  }),
};
