/**
 * How the External Secrets Operator authenticates a SecretStore, per provider, as its source does it (v1.0.0, the
 * first major serving only external-secrets.io/v1; the same steps from v0.16 to v2.9). Each branch cites the lines it
 * follows; the error texts are ESO's own, so its tests' vectors (esoAuth.test.ts) check the model. What ESO would do
 * with an auth this model does not follow is returned as "not modelled", never as success.
 */
import type { K8sObject } from './output';

/** The cluster as ESO sees it when it builds the store's client. */
export interface EsoWorld {
  /** ServiceAccounts and Secrets that exist. */
  objects: K8sObject[];
  /**
   * The ESO controller's own environment. The runbooks install ESO without workload identity for itself, so nothing
   * sets AZURE_TENANT_ID there: the model takes it empty unless a test vector sets it.
   */
  controllerEnv?: Record<string, string>;
}

type Selector = { name: string; namespace?: string; key?: string };

const AZURE_CLIENT_ID = 'azure.workload.identity/client-id';
const AZURE_TENANT_ID = 'azure.workload.identity/tenant-id';
const AWS_ROLE_ARN = 'eks.amazonaws.com/role-arn';

function find(world: EsoWorld, kind: string, name: string, namespace: string) {
  return world.objects.find(
    o =>
      o.kind === kind &&
      o.metadata.name === name &&
      (o.metadata.namespace ?? 'default') === namespace,
  );
}

/** resolvers.SecretKeyRef: a SecretStore reads its own namespace, a ClusterSecretStore the selector's. */
function secretKey(
  world: EsoWorld,
  cluster: boolean,
  namespace: string,
  ref: Selector,
): { value: string } | { error: string } {
  const ns = cluster && ref.namespace ? ref.namespace : namespace;
  const secret = find(world, 'Secret', ref.name, ns);
  if (!secret)
    return {
      error: `cannot get Kubernetes secret "${ref.name}" from namespace "${ns}": secrets "${ref.name}" not found`,
    };
  const data = { ...(secret.stringData ?? {}), ...(secret.data ?? {}) };
  if (!ref.key || !(ref.key in data))
    return { error: `cannot find secret data for key: "${ref.key ?? ''}"` };
  return { value: String(data[ref.key]) };
}

function serviceAccount(
  world: EsoWorld,
  cluster: boolean,
  namespace: string,
  ref: Selector,
): { annotations: Record<string, string> } | { error: string } {
  const ns = cluster && ref.namespace ? ref.namespace : namespace;
  const sa = find(world, 'ServiceAccount', ref.name, ns);
  if (!sa) return { error: `serviceaccounts "${ref.name}" not found` };
  return { annotations: sa.metadata.annotations ?? {} };
}

/** providers/v1/azure/keyvault/keyvault.go: authorizerForWorkloadIdentity (989-1111); authType default (CRD) ServicePrincipal. */
function azureKv(
  p: any,
  world: EsoWorld,
  cluster: boolean,
  namespace: string,
): string | undefined {
  const authType = p.authType ?? 'ServicePrincipal';
  if (authType !== 'WorkloadIdentity')
    return `not modelled: azurekv authType ${authType}`;
  const env = world.controllerEnv ?? {};
  // 996-1012: no serviceAccountRef: the controller's own webhook-injected environment.
  if (!p.serviceAccountRef) {
    if (
      !env.AZURE_CLIENT_ID ||
      !env.AZURE_TENANT_ID ||
      !env.AZURE_FEDERATED_TOKEN_FILE
    )
      return 'missing environment variables. AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE must be set';
    return undefined;
  }
  // 1013-1024: the referenced account, in the store's namespace (a ClusterSecretStore may name another).
  const sa = serviceAccount(world, cluster, namespace, p.serviceAccountRef);
  if ('error' in sa) return sa.error;
  // 1025-1055: clientID from authSecretRef or the account's annotation, not both.
  let clientId = '';
  if (p.authSecretRef) {
    if (!p.authSecretRef.clientId)
      return 'missing accessKeyID/secretAccessKey in store config';
    const v = secretKey(world, cluster, namespace, p.authSecretRef.clientId);
    if ('error' in v) return v.error;
    clientId = v.value;
  }
  if (AZURE_CLIENT_ID in sa.annotations) {
    if (clientId)
      return 'multiple clientID found. Check secretRef and serviceAccountRef';
    clientId = sa.annotations[AZURE_CLIENT_ID];
  }
  if (!clientId)
    return `missing clientID: either serviceAccountRef or service account annotation '${AZURE_CLIENT_ID}' is missing`;
  // 1056-1095: tenantID from authSecretRef, else spec.provider.azurekv.tenantId, else the annotation (never two of
  // them), else the controller's AZURE_TENANT_ID.
  let tenantId = '';
  if (p.authSecretRef?.tenantId) {
    const v = secretKey(world, cluster, namespace, p.authSecretRef.tenantId);
    if ('error' in v) return v.error;
    tenantId = v.value;
  }
  if (!tenantId && p.tenantId) tenantId = p.tenantId;
  if (AZURE_TENANT_ID in sa.annotations) {
    if (tenantId)
      return "multiple tenantID found. Check secretRef, 'spec.provider.azurekv.tenantId', and serviceAccountRef";
    tenantId = sa.annotations[AZURE_TENANT_ID];
  }
  if (!tenantId) tenantId = env.AZURE_TENANT_ID ?? '';
  if (!tenantId) return 'missing tenantID in store config';
  return undefined;
}

/** providers/v1/aws/auth/auth.go: constructCredsProvider (162-172), credsFromServiceAccount (253-290). */
function aws(
  p: any,
  world: EsoWorld,
  cluster: boolean,
  namespace: string,
): string | undefined {
  const ref = p.auth?.jwt?.serviceAccountRef;
  if (!ref)
    return p.auth?.secretRef
      ? 'not modelled: aws auth.secretRef'
      : "not modelled: aws without auth (the controller's own credentials)";
  const sa = serviceAccount(world, cluster, namespace, ref);
  if ('error' in sa) return sa.error;
  const ns = cluster && ref.namespace ? ref.namespace : namespace;
  if (!sa.annotations[AWS_ROLE_ARN])
    return `an IAM role must be associated with service account ${ref.name} (namespace: ${ns})`;
  return undefined;
}

/**
 * providers/v1/vault/auth_kubernetes.go: getJwtString (73-120) — a token for serviceAccountRef (TokenRequest), else
 * secretRef's key (default `token`), else the controller's own token; role (`json:"role"`, required) names the
 * Vault role (apis/externalsecrets/v1/secretstore_vault_types.go:205, 223). Only Kubernetes auth is modelled.
 */
function vault(
  p: any,
  world: EsoWorld,
  cluster: boolean,
  namespace: string,
): string | undefined {
  const k = p.auth?.kubernetes;
  if (!k) return 'not modelled: vault auth other than kubernetes';
  if (!k.role)
    return 'spec.provider.vault.auth.kubernetes.role: Required value';
  if (k.serviceAccountRef) {
    const sa = serviceAccount(world, cluster, namespace, k.serviceAccountRef);
    return 'error' in sa ? sa.error : undefined;
  }
  if (k.secretRef) {
    const v = secretKey(world, cluster, namespace, {
      ...k.secretRef,
      key: k.secretRef.key || 'token',
    });
    return 'error' in v ? v.error : undefined;
  }
  return "not modelled: vault kubernetes auth with the controller's own token";
}

const PROVIDERS: Record<
  string,
  (p: any, w: EsoWorld, cluster: boolean, ns: string) => string | undefined
> = { azurekv: azureKv, aws, vault };

/** Why ESO cannot authenticate the (Cluster)SecretStore, or undefined when it can (as far as the model goes). */
export function storeAuthError(
  store: K8sObject,
  world: EsoWorld,
): string | undefined {
  const provider: Record<string, unknown> = store.spec?.provider ?? {};
  const [name, block] = Object.entries(provider)[0] ?? [];
  const model = name ? PROVIDERS[name] : undefined;
  if (!model) return `not modelled: provider ${name ?? '(none)'}`;
  return model(
    block,
    world,
    store.kind === 'ClusterSecretStore',
    store.metadata.namespace ?? 'default',
  );
}
