import type { GatewayProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type { GatewayAdapter } from '../types';
import { awsApiGatewayAdapter } from './awsApiGateway';
import { azureApimAdapter } from './azureApim';
import { googleCloudEndpointsAdapter } from './googleCloudEndpoints';
import { kongAdapter } from './kong';
import { tykAdapter } from './tyk';

/** One adapter per gateway provider in the registry (open-amt-common GATEWAY_PROVIDERS). */
export const gatewayAdapters: Record<GatewayProviderId, GatewayAdapter> = {
  kong: kongAdapter,
  'azure-apim': azureApimAdapter,
  'aws-api-gateway': awsApiGatewayAdapter,
  'google-cloud-endpoints': googleCloudEndpointsAdapter,
  tyk: tykAdapter,
};

export {
  kongAdapter,
  tykAdapter,
  azureApimAdapter,
  awsApiGatewayAdapter,
  googleCloudEndpointsAdapter,
};
