import type { GatewayProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import { awsApiGatewayRenderer } from './awsApiGateway';
import { azureApimRenderer } from './azureApim';
import { googleCloudEndpointsRenderer } from './googleCloudEndpoints';
import { kongRenderer } from './kong';
import { tykRenderer } from './tyk';
import type { GatewayRenderer } from './types';

export type { GatewayRenderer, ComposeService } from './types';

/**
 * One renderer per built-in gateway. A function, read at render time: the renderers use helpers that look renderers
 * up (render/providers), so a record built while the modules load could hold a renderer not yet defined.
 */
export function builtInGatewayRenderers(): Record<
  GatewayProviderId,
  GatewayRenderer
> {
  return {
    kong: kongRenderer,
    tyk: tykRenderer,
    'azure-apim': azureApimRenderer,
    'aws-api-gateway': awsApiGatewayRenderer,
    'google-cloud-endpoints': googleCloudEndpointsRenderer,
  };
}
