/**
 * Third-party images the rendered deployment runs next to Open AMT, pinned (never `latest`). Kong, which the
 * toolkit itself ships, is release data (`infrastructure.kong`).
 */
export const GATEWAY_IMAGES = {
  tyk: 'tykio/tyk-gateway:v5.8.1',
  redis: 'redis:7.4.2-alpine',
  espv2: 'gcr.io/endpoints-release/endpoints-runtime:2.51.0',
} as const;
