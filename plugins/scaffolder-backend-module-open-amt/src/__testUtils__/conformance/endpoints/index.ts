import type { RenderedOutput } from '../output';
import { awsApiGatewayEndpoints } from './awsApiGateway';
import { azureApimEndpoints } from './azureApim';
import { composeFront, kubernetesFront } from './fronts';
import { googleCloudEndpointsEndpoints } from './googleCloudEndpoints';
import type { ServedEndpoint } from './types';

export type { ServedEndpoint, EndpointKind } from './types';

/** Readers of what answers publicly: the deployment's own fronts, then each managed product's cloud resources. */
const READERS: ReadonlyArray<(out: RenderedOutput) => ServedEndpoint[]> = [
  composeFront,
  kubernetesFront,
  awsApiGatewayEndpoints,
  azureApimEndpoints,
  googleCloudEndpointsEndpoints,
];

export function servedEndpoints(out: RenderedOutput): ServedEndpoint[] {
  return READERS.flatMap(read => read(out));
}
