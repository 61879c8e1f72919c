import type { GatewayProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import { Renderer } from '../types';
import { renderAwsApiGateway } from './awsApiGateway';
import { renderAzureApim } from './azureApim';
import { renderGoogleCloudEndpoints } from './googleCloudEndpoints';
import { renderKong } from './kong';
import { renderTyk } from './tyk';

/** One renderer per gateway provider; a new gateway = one file + one line here + one registry line. */
export const GATEWAY_RENDERERS: Record<GatewayProviderId, Renderer> = {
  kong: renderKong,
  tyk: renderTyk,
  'azure-apim': renderAzureApim,
  'aws-api-gateway': renderAwsApiGateway,
  'google-cloud-endpoints': renderGoogleCloudEndpoints,
};
