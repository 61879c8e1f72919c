import { awsApiGatewayPooling } from './awsApiGateway';
import { azureApimPooling } from './azureApim';
import { espv2Pooling } from './espv2';
import { kongPooling } from './kong';
import type { UpstreamPoolingModel } from './types';

export type { UpstreamPoolingModel } from './types';

/**
 * Every gateway product whose upstream pooling is modelled; each recognises its own files. Tyk's model comes with the
 * Tyk work (issue 18); a gateway without one is reported by the rule's coverage test.
 */
export const UPSTREAM_POOLING_MODELS: readonly UpstreamPoolingModel[] = [
  kongPooling,
  espv2Pooling,
  azureApimPooling,
  awsApiGatewayPooling,
];
