import { awsApiGatewayTrafficModel } from './awsApiGateway';
import { azureApimTrafficModel } from './azureApim';
import { googleCloudEndpointsTrafficModel } from './googleCloudEndpoints';
import { kongTrafficModel } from './kong';
import { tykTrafficModel } from './tyk';
import type { GatewayTrafficModel } from './types';

/** Every gateway model; each reads only its own gateway's files. */
export const GATEWAY_TRAFFIC_MODELS: readonly GatewayTrafficModel[] = [
  kongTrafficModel,
  tykTrafficModel,
  awsApiGatewayTrafficModel,
  azureApimTrafficModel,
  googleCloudEndpointsTrafficModel,
];
