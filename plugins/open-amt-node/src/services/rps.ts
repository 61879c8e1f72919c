import type { ServiceAdapter } from '../types';
import { probeToolkitService } from './toolkitService';

/** RPS REST (port 8081): GET /api/v1/admin/health and /api/v1/admin/version (serviceVersion, protocolVersion). */
export const rpsAdapter: ServiceAdapter = {
  component: 'rps',
  probe: (url, ctx) =>
    probeToolkitService(
      'RPS',
      url,
      { health: '/api/v1/admin/health', version: '/api/v1/admin/version' },
      ctx,
    ),
};
