import { OPEN_AMT_ANNOTATIONS } from '@open-amt-backstage/plugin-open-amt-common';
import type { DevicesAdapter } from '../types';
import { describeUnanswered, joinUrl, probeHttp, redactUrl } from '../net';
import { tokenRequiredReason } from './tokenRequired';

interface DeviceStats {
  totalCount: number;
  connectedCount: number;
  disconnectedCount: number;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isDeviceStats(value: unknown): value is DeviceStats {
  const v = value as Partial<DeviceStats> | undefined;
  return (
    !!v &&
    typeof v === 'object' &&
    isCount(v.totalCount) &&
    isCount(v.connectedCount) &&
    isCount(v.disconnectedCount)
  );
}

/**
 * The devices MPS knows and how many hold a CIRA connection: GET /api/v1/devices/stats at MPS's internal address
 * (mps src/routes/devices/stats.ts:10-23 at v2.34.1; counts for the request's tenant). Healthy whenever MPS
 * counts them — a device that is off is not a fault of the deployment; unknown when MPS cannot be asked (its own
 * row says why) or answers only through the gateway.
 */
export const devicesAdapter: DevicesAdapter = {
  async probe(mpsUrl, ctx) {
    const subject = `MPS ${redactUrl(mpsUrl)}`;
    const res = await probeHttp(joinUrl(mpsUrl, '/api/v1/devices/stats'), ctx, {
      expectJson: true,
    });
    if (res.kind === 'failure')
      return {
        status: 'unknown',
        message: `Devices not counted: ${describeUnanswered(subject, res)}.`,
        details: { failure: res.failure },
      };
    const tokenRequired = tokenRequiredReason(
      subject,
      res,
      OPEN_AMT_ANNOTATIONS.mpsUrl,
    );
    if (tokenRequired)
      return {
        status: 'unknown',
        latencyMs: res.latencyMs,
        message: `Devices not counted: ${tokenRequired}`,
        details: { httpStatus: res.status, notCheckable: 'token required' },
      };
    if (res.status !== 200 || !isDeviceStats(res.json))
      return {
        status: 'unknown',
        latencyMs: res.latencyMs,
        message: `Devices not counted: ${subject} answered GET /api/v1/devices/stats with HTTP ${
          res.status
        }${res.status === 200 ? ' but not with device counts' : ''}.`,
        details: { httpStatus: res.status },
      };
    const { totalCount, connectedCount, disconnectedCount } = res.json;
    return {
      status: 'healthy',
      latencyMs: res.latencyMs,
      message: `${connectedCount} of ${totalCount} device${
        totalCount === 1 ? '' : 's'
      } connected to MPS (${disconnectedCount} disconnected).`,
      details: { totalCount, connectedCount, disconnectedCount },
    };
  },
};
