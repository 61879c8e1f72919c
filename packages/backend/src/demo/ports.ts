/**
 * Where the demo stand-in stack listens. Fixed loopback ports, because the example deployment's
 * catalog-info.yaml (examples/demo-deployment) and app-config.yaml name them.
 */
export const DEMO_HOST = '127.0.0.1';

export const DEMO_PORTS = {
  /** The control API (make a component fail / recover). */
  control: 7300,
  vault: 7301,
  mps: 7302,
  rps: 7303,
  mpsrouter: 7304,
  webui: 7305,
  /** Kong admin API (the gateway's health endpoint). */
  gateway: 7306,
  /** MPS's CIRA port: raw TLS, not HTTP (open-amt.io/cira-endpoint is `host:port`). */
  cira: 7307,
} as const;

export type DemoComponent = Exclude<keyof typeof DEMO_PORTS, 'control'>;
export const DEMO_COMPONENTS = Object.keys(DEMO_PORTS).filter(
  k => k !== 'control',
) as DemoComponent[];

export const demoUrl = (component: keyof typeof DEMO_PORTS) =>
  `http://${DEMO_HOST}:${DEMO_PORTS[component]}`;
/** `host:port` of a stand-in; the only form that fits the CIRA endpoint, which speaks TLS, not HTTP. */
export const demoAddress = (component: keyof typeof DEMO_PORTS) =>
  `${DEMO_HOST}:${DEMO_PORTS[component]}`;

/**
 * Root token of the stand-in Vault. It only exists in the memory of a process on this machine's loopback
 * interface; app-config.yaml names it so the health engine and the scaffolder can use that Vault.
 */
export const DEMO_VAULT_TOKEN = 'demo-stand-in-vault-token-local-only';

/** Told apart from anything else that might answer on the control port. */
export const DEMO_STACK_SERVICE = 'open-amt-demo-stand-in-stack';

/** The example deployment (examples/demo-deployment/catalog-info.yaml). */
export const DEMO_DEPLOYMENT = {
  name: 'open-amt-demo',
  /** MPS_COMMON_NAME of the example: the name its CIRA certificate covers. */
  mpsCommonName: 'mps.open-amt-demo.example.com',
  vaultMount: 'kv',
  vaultPrefix: 'open-amt',
  /** Real databases on the local PostgreSQL, created with the toolkit schema at every start (idempotent). */
  rpsDatabase: 'oamt_demo_rpsdb',
  mpsDatabase: 'oamt_demo_mpsdb',
  rpsUser: 'oamt_demo_rps',
  mpsUser: 'oamt_demo_mps',
  probeUser: 'oamt_demo_probe',
} as const;
