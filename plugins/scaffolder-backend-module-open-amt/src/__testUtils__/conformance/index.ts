/**
 * The behaviour conformance suite: rules that say what the real client, kubelet, controller or gateway does with a
 * rendered deployment. Each rule cites the fact it models; conformance.test.ts runs them over every combination and
 * injects each rule's defect to prove it can fail.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { RenderedFile } from '../../render';
import { RenderedOutput } from './output';
import { startRunbook } from './runbook/harness';
import { actionDatabaseTrustRule } from './rules/actionDatabaseTrust';
import { authorizerDecryptRule } from './rules/authorizerDecrypt';
import { composeHealthchecksRule } from './rules/composeHealthchecks';
import { composeInterpolationRule } from './rules/composeInterpolation';
import { envFileValuesRule } from './rules/envFileValues';
import { kubeletExpansionRule } from './rules/kubeletExpansion';
import { databaseTlsRule } from './rules/databaseTls';
import { externalSecretsApiRule } from './rules/externalSecretsApi';
import { firstStartWriterRule } from './rules/firstStartWriter';
import { gatewayUpstreamsRule } from './rules/gatewayUpstreams';
import { kongAdminExposureRule } from './rules/kongAdminExposure';
import { gatewayTrafficRule } from './rules/gatewayTraffic';
import { livenessProbesRule } from './rules/livenessProbes';
import { notVerifiedRule } from './rules/notVerified';
import { publicEndpointsRule } from './rules/publicEndpoints';
import { replicaSpreadRule } from './rules/replicaSpread';
import { runAsNonRootRule } from './rules/runAsNonRoot';
import { runbookTruthRule } from './rules/runbookTruth';
import { secretSourcesRule } from './rules/secretSources';
import { storeAuthRule } from './rules/storeAuth';
import { storePermissionsRule } from './rules/storePermissions';
import { tykStartupRule } from './rules/tykStartup';
import { upstreamPoolingRule } from './rules/upstreamPooling';
import { vaultKubernetesAuthRule } from './rules/vaultKubernetesAuth';
import { vaultTokenLifetimeRule } from './rules/vaultTokenLifetime';
import { webUiNginxRule } from './rules/webUiNginx';
import { workloadIdentityRule } from './rules/workloadIdentity';
import { runbookRunsRule } from './rules/runbookRuns';
import { entryNamesRule } from './rules/entryNames';
import { containerReadableRule } from './rules/containerReadable';
import { kitImagesRule } from './rules/kitImages';
import { techDocsRule } from './rules/techDocs';
import type { ConformanceRule } from './types';

export type { ConformanceRule } from './types';
export { RenderedOutput } from './output';

export const CONFORMANCE_RULES: readonly ConformanceRule[] = [
  gatewayTrafficRule,
  upstreamPoolingRule,
  externalSecretsApiRule,
  livenessProbesRule,
  runAsNonRootRule,
  vaultKubernetesAuthRule,
  vaultTokenLifetimeRule,
  databaseTlsRule,
  replicaSpreadRule,
  kongAdminExposureRule,
  composeHealthchecksRule,
  runbookTruthRule,
  tykStartupRule,
  storePermissionsRule,
  gatewayUpstreamsRule,
  authorizerDecryptRule,
  secretSourcesRule,
  webUiNginxRule,
  actionDatabaseTrustRule,
  composeInterpolationRule,
  envFileValuesRule,
  kubeletExpansionRule,
  firstStartWriterRule,
  storeAuthRule,
  workloadIdentityRule,
  publicEndpointsRule,
  notVerifiedRule,
  runbookRunsRule,
  entryNamesRule,
  containerReadableRule,
  kitImagesRule,
  techDocsRule,
];

/** Every violation of every rule, prefixed with the rule id (`out`: the files already parsed, when the caller has them). */
export function checkConformance(
  spec: DeploymentSpec,
  files: RenderedFile[],
  out = new RenderedOutput(spec, files),
): string[] {
  // The runbook's bash run goes on while the other rules are checked.
  startRunbook(out);
  return CONFORMANCE_RULES.flatMap(rule =>
    rule.check(out).map(v => `[${rule.id}] ${v}`),
  );
}
