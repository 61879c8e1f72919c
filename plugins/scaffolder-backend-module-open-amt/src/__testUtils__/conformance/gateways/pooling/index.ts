import { awsApiGatewayPooling } from './awsApiGateway';
import { azureApimPooling } from './azureApim';
import { espv2Pooling } from './espv2';
import { kongPooling } from './kong';
import { tykPooling } from './tyk';
import type { UpstreamPoolingModel } from './types';

export type { UpstreamPoolingModel } from './types';

/** Every gateway product whose upstream pooling is modelled; each recognises its own files. */
export const UPSTREAM_POOLING_MODELS: readonly UpstreamPoolingModel[] = [
  kongPooling,
  tykPooling,
  espv2Pooling,
  azureApimPooling,
  awsApiGatewayPooling,
];
