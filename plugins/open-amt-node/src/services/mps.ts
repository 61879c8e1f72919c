import type { ServiceAdapter } from '../types';
import { probeToolkitService } from './toolkitService';

/** MPS REST (port 3000): GET /api/v1/health and /api/v1/version. */
export const mpsAdapter: ServiceAdapter = {
  component: 'mps',
  probe: (url, ctx) =>
    probeToolkitService(
      'MPS',
      url,
      { health: '/api/v1/health', version: '/api/v1/version' },
      ctx,
    ),
};
