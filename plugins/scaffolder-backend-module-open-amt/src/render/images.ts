/** Third-party images the rendered deployment runs next to Open AMT, pinned (never `latest`). */
export const GATEWAY_IMAGES = {
  kong: 'kong:3.9.1',
  tyk: 'tykio/tyk-gateway:v5.8.1',
  redis: 'redis:7.4.2-alpine',
  espv2: 'gcr.io/endpoints-release/endpoints-runtime:2.51.0',
} as const;
