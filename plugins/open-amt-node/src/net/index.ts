export {
  createHostGuard,
  HostNotAllowedError,
  describeRefusal,
  alwaysRefusedReason,
  normalizeHost,
  isResolvingGuard,
} from './hostGuard';
export type {
  AllowedAddress,
  HostRefusal,
  HostGuardOptions,
  ResolveAll,
  ResolvingHostGuard,
} from './hostGuard';
export {
  probeHttp,
  isHttpResponse,
  redactUrl,
  closeIdleProbeConnections,
  sentThenOverlap,
  withoutFollowUp,
  DEFAULT_MAX_BODY_BYTES,
} from './probeHttp';
export type {
  ProbeHttpInit,
  ProbeHttpResponse,
  ProbeHttpFailure,
  ProbeHttpResult,
} from './probeHttp';
export { resolveThroughGuard, pinnedLookup } from './guardedAddresses';
export {
  classifyNetworkError,
  describeFailure,
  describeUnanswered,
  failureStatus,
  failureToProbeResult,
} from './failures';
export type { ProbeFailure, ProbeFailureKind } from './failures';
export {
  probeBudget,
  createProvisioningGuard,
  provisioningContext,
} from './budget';
export { joinUrl, originOf } from './url';
export { routeThroughGuard } from './socketRoute';
export type { SocketRoute } from './socketRoute';
export { withDeadline } from './withDeadline';
