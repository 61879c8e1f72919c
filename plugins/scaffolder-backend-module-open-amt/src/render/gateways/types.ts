import type {
  DeploymentSpec,
  GatewayProviderInfo,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { K8sObject } from '../kubernetesWorkloads';
import type { Renderer } from '../types';
import type { RunbookStepInput } from '../runbookStep';

/** A compose service definition (docker-compose.yml `services.<name>`). */
export type ComposeService = Record<string, unknown>;

/**
 * Everything one gateway contributes to a rendered deployment; one file per gateway implements it, and the generic
 * renderers (compose, Kubernetes, secrets wiring, catalog-info, runbook) iterate over what it returns.
 */
export interface GatewayRenderer {
  /** Its registry entry (common): id, label, properties and its section of the spec. */
  info: GatewayProviderInfo<string>;
  /** Its configuration files under gateway/ (templates where they embed the JWT secret). */
  files: Renderer;
  /** The URL the portal's gateway probe calls (catalog-info `open-amt.io/gateway-url`). */
  probeUrl(spec: DeploymentSpec): string;
  /** Compose services that run it beside the services, by name (none for a managed gateway). */
  composeServices?(spec: DeploymentSpec): Record<string, ComposeService>;
  /** Kubernetes objects that run it in the cluster (kubernetes/gateway.yaml). */
  kubernetesObjects?(spec: DeploymentSpec): K8sObject[];
  /**
   * Its configuration embeds the JWT secret: on compose, the resolve-script lines that fill the templates (the store
   * entry is in `$entry_jwt`); on Kubernetes, the files of the `<id>-config` Secret as External Secrets templates.
   */
  jwtConfig?: {
    resolveScript(spec: DeploymentSpec): string[];
    kubernetesTemplates(spec: DeploymentSpec): Record<string, string>;
  };
  /**
   * How it picks up a rotated JWT secret (open-amt:secrets:rotate's restart plan): the compose service / Kubernetes
   * Deployment to recreate after its configuration is refreshed, or a manual step. Without it the plan says the
   * portal does not know.
   */
  jwtReload?: { workload: string } | { manual: string };
  /** Other secrets it needs in the cluster (e.g. a generated control-API secret). */
  kubernetesSecrets?(spec: DeploymentSpec): K8sObject[];
  /**
   * Runbook steps that must be done before the services and the gateway start (something the gateway reads at
   * start-up), in order; the runbook puts them before `docker-compose up` / `kubectl apply`.
   */
  beforeStartSteps?(spec: DeploymentSpec): RunbookStepInput[];
  /** Runbook steps to deploy and connect it, in order (with `commands`, the runbook harness runs them). */
  runbookSteps?(spec: DeploymentSpec): RunbookStepInput[];
}
