/**
 * Annotations the scaffolder writes into a deployment's catalog-info.yaml and the health engine reads.
 * They carry names, endpoints and references to credentials — never credentials themselves.
 */
export const ANNOTATION_PREFIX = 'open-amt.io';

export const OPEN_AMT_ANNOTATIONS = {
  /** On the System and every part: the deployment's name (= the System's metadata.name). */
  deployment: 'open-amt.io/deployment',
  /** On parts: which component of the deployment this entity is (see COMPONENT_IDS). */
  component: 'open-amt.io/component',
  /** On the System: compose | kubernetes | aks | eks. */
  target: 'open-amt.io/target',
  databaseProvider: 'open-amt.io/database-provider',
  secretsProvider: 'open-amt.io/secrets-provider',
  gatewayProvider: 'open-amt.io/gateway-provider',
  /** Service endpoints the health engine probes (internal URLs reachable from the portal backend). */
  mpsUrl: 'open-amt.io/mps-url',
  rpsUrl: 'open-amt.io/rps-url',
  mpsRouterUrl: 'open-amt.io/mpsrouter-url',
  webUiUrl: 'open-amt.io/webui-url',
  /** host:port of the database server; the probe connects to both rps and mps databases. */
  databaseEndpoint: 'open-amt.io/database-endpoint',
  /** Optional: disable | require | verify-full (default verify-full), as in the deployment spec. */
  databaseTlsMode: 'open-amt.io/database-tls-mode',
  /** Optional: database names when they differ from rpsdb / mpsdb. */
  rpsDatabase: 'open-amt.io/rps-database',
  mpsDatabase: 'open-amt.io/mps-database',
  /** Vault address, Key Vault URL, or `aws:<region>/<kms key id>`. */
  secretsEndpoint: 'open-amt.io/secrets-endpoint',
  /** Optional: Vault KV v2 mount (default kv) or the name prefix in Key Vault / Secrets Manager. */
  secretsMount: 'open-amt.io/secrets-mount',
  /** Kong admin API, Tyk gateway, APIM gateway, API Gateway stage or ESPv2 URL. */
  gatewayUrl: 'open-amt.io/gateway-url',
  /** MPS_COMMON_NAME (the spec's fqdn): the name MPS's CIRA certificate must cover. */
  mpsCommonName: 'open-amt.io/mps-common-name',
  /**
   * `host:port` where the portal reaches the CIRA endpoint (MPS's raw TLS on 4433, through the gateway or its
   * load balancer); default `<mps-common-name>:4433`.
   */
  ciraEndpoint: 'open-amt.io/cira-endpoint',
  /**
   * Reference, resolved by the portal backend with its own identity, to the probe credentials:
   * `<store>:<path>` — e.g. `vault:kv/open-amt/prod-probe`, `azure-key-vault:https://x.vault.azure.net/open-amt-prod-probe`,
   * `aws-kms:eu-west-1/open-amt/prod-probe`. The entry is bound to its deployment (see PROBE_BINDING_KEYS).
   */
  credentialsRef: 'open-amt.io/credentials-ref',
  /**
   * On the System: the toolkit release the deployment runs (e.g. `v2.37.0`); without it the deployment is treated
   * as v2.26.0, the release every deployment ran before releases were data.
   */
  toolkitRelease: 'open-amt.io/toolkit-release',
  /**
   * On the System: the deployment's spec as the template run validated it (JSON; references to secrets, never their
   * values). The Day-2 templates (upgrade, change, rotate) start from it; see recordedSpecOf.
   */
  deploymentSpec: 'open-amt.io/deployment-spec',
  /** Marks stand-in deployments whose endpoints are simulated (demo portal). */
  simulated: 'open-amt.io/simulated',
} as const;

export type OpenAmtAnnotation =
  (typeof OPEN_AMT_ANNOTATIONS)[keyof typeof OPEN_AMT_ANNOTATIONS];
