/**
 * Amazon API Gateway (REST API, http_proxy through a VPC link) documents no setting on the integration or the VPC
 * link that stops it reusing connections to the backend. Assumed to pool: not verified.
 */
import type { UpstreamPoolingModel } from './types';

const OPENAPI = 'gateway/aws-api-gateway/openapi.json';

export const awsApiGatewayPooling: UpstreamPoolingModel = {
  product: 'Amazon API Gateway',
  describe: out => (out.file(OPENAPI) ? OPENAPI : undefined),
  pooling: () => ({
    noSwitch:
      'API Gateway documents no integration or VPC link setting that stops it reusing backend connections (assumed to pool; not verified)',
  }),
};
