import { espv2Listeners } from './espv2';
import { kongListeners } from './kong';
import { tykListeners } from './tyk';
import type { GatewayListenerModel } from './types';

export type { GatewayListenerModel, Listener, GatewayContainer } from './types';

/** Every gateway product that runs as a container of the deployment. */
export const GATEWAY_LISTENER_MODELS: readonly GatewayListenerModel[] = [
  kongListeners,
  tykListeners,
  espv2Listeners,
];
