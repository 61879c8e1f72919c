import { routeKong } from '../kongRouter';
import type { GatewayTrafficModel } from './types';

const KONG_FILE = 'gateway/kong/kong.yaml';

/** Kong's traditional_compatible router over the declarative configuration (see kongRouter.ts); the jwt plugin checks the token. */
export const kongTrafficModel: GatewayTrafficModel = {
  describe: out => (out.file(KONG_FILE) ? KONG_FILE : undefined),
  route(out, request) {
    const decision = routeKong(out.yaml(KONG_FILE)[0], request);
    if (!decision) return { refused: 'matches no route (Kong answers 404)' };
    return {
      via: `route ${decision.route}`,
      upstream: decision.upstream,
      jwt: decision.plugins.includes('jwt'),
    };
  },
};
