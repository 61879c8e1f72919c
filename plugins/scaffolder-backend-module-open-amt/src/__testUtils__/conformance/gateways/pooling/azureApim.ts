/**
 * Azure API Management documents no per-API or per-backend setting that stops it reusing backend connections (policy
 * reference: forward-request, set-backend-service; backends). Assumed to pool, as managed HTTP proxies do: not
 * verified.
 */
import type { UpstreamPoolingModel } from './types';

const BICEP = 'gateway/azure-apim/apim.bicep';

export const azureApimPooling: UpstreamPoolingModel = {
  product: 'Azure API Management',
  describe: out => (out.file(BICEP) ? BICEP : undefined),
  pooling: () => ({
    noSwitch:
      'API Management documents no way to stop reusing backend connections (assumed to pool; not verified)',
  }),
};
