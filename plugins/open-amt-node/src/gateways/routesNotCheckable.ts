import { DRIFT_DETAILS } from '@open-amt-backstage/plugin-open-amt-common';
import type { GatewayAdapter } from '../types';

/**
 * For a gateway whose live routes the probe cannot read with what it has (the vendor lists them only through a
 * management API needing a credential the probe does not hold): every result says so, with the vendor's reason,
 * instead of pretending the routes were compared.
 */
export function withRoutesNotCheckable(
  reason: string,
  probe: GatewayAdapter['probe'],
): GatewayAdapter['probe'] {
  return async (url, expected, ctx) => {
    const result = await probe(url, expected, ctx);
    return {
      ...result,
      details: {
        ...result.details,
        [DRIFT_DETAILS.routesNotCheckable]: reason,
      },
    };
  };
}
