export { openAmtApiRef } from './OpenAmtApi';
export type { OpenAmtApi, DeploymentRef, RefreshOutcome } from './OpenAmtApi';
export { OpenAmtClient } from './OpenAmtClient';
