/**
 * Test utilities of the Open AMT plugins. Contract servers: small vendor stand-ins on 127.0.0.1 that follow the
 * vendors' documented requests, responses and status codes, with injectable latency and failures; and helpers
 * shared by the plugins' tests. Test-only: a devDependency of the plugins, never imported by runtime code
 * (the demo portal's backend, a demo app, runs the stand-ins as its example deployment).
 *
 * @packageDocumentation
 */
export { startContractServer } from './contractServer';
export type {
  ContractHandler,
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  InjectedFailure,
} from './contractServer';
export { createTestCertificate } from './tls';
export { manualScheduler } from './manualScheduler';
export type { TestCertificate, TestCertificateValidity } from './tls';
export { startCiraServer } from './cira';
export type { CiraContractServer, CiraServerOptions } from './cira';
export {
  startSilentSocketServer,
  startResettingSocketServer,
  startWrongHostTlsServer,
  findClosedPortUrl,
} from './faults';
export type { FaultServer } from './faults';
export { startVaultServer } from './vault';
export type {
  VaultContractServer,
  VaultServerOptions,
  VaultState,
  VaultTokenInfo,
} from './vault';
export {
  keyVaultClientAgent,
  startKeyVaultServer,
  staticTokenCredential,
} from './azureKeyVault';
export type {
  DeletedSecretState,
  IssuingCredential,
  KeyVaultContractServer,
  KeyVaultState,
  PendingOperation,
} from './azureKeyVault';
export { startAwsServer } from './aws';
export type { AwsContractServer, AwsState, KmsKey, StoredSecret } from './aws';
export {
  startKongAdminServer,
  kongEntitiesFor,
  startTykServer,
  startApimServer,
  startApiGatewayStageServer,
  startEspServer,
} from './gateways';
export type {
  KongState,
  KongRoute,
  KongService,
  TykState,
  ApimState,
  ApiGatewayStageState,
  EspState,
} from './gateways';
export {
  startMpsServer,
  startRpsServer,
  startMpsRouterServer,
  startWebUiServer,
  WEB_UI_INDEX_HTML,
} from './services';
export { contractDevices } from './toolkitInventory';
export type {
  ContractDevice,
  ContractDomain,
  TenantState,
} from './toolkitInventory';
export type {
  MpsState,
  RpsState,
  ToolkitServiceState,
  MpsRouterState,
  WebUiState,
} from './services';
export { ContractServerProcess } from './forkedServer';
export type { ForkedContractServer } from './forkedServer';
export type { ForkableServerKind } from './serverProcess';
export { createProbeMemory } from './probeMemory';
export type { TestProbeMemory } from './probeMemory';
export { recordingAuditor } from './recordingAuditor';
export type { RecordedAuditEvent } from './recordingAuditor';
export {
  createTestCa,
  startTlsPostgres,
  startTlsMariadb,
} from './databaseServers';
export type { TestCa, TlsDatabaseServer } from './databaseServers';
export { canConnect, freePort } from './ports';
