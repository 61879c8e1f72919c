import type { GatewayProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import { awsApiGatewayRenderer } from './awsApiGateway';
import { azureApimRenderer } from './azureApim';
import { googleCloudEndpointsRenderer } from './googleCloudEndpoints';
import { kongRenderer } from './kong';
import { tykRenderer } from './tyk';
import type { GatewayRenderer } from './types';

export type { GatewayRenderer, ComposeService } from './types';

/** One renderer per gateway provider; a new gateway = one file + one line here + one registry line. */
export const GATEWAY_RENDERERS: Record<GatewayProviderId, GatewayRenderer> = {
  kong: kongRenderer,
  tyk: tykRenderer,
  'azure-apim': azureApimRenderer,
  'aws-api-gateway': awsApiGatewayRenderer,
  'google-cloud-endpoints': googleCloudEndpointsRenderer,
};
