/**
 * The ESO authentication model against External Secrets' own test vectors (v1.0.0): the rows of
 * providers/v1/azure/keyvault/keyvault_auth_test.go TestGetAuthorizorForWorkloadIdentity (99-360) and the jwt row of
 * providers/v1/aws/auth/auth_test.go (369-417), rewritten as the YAML objects they stand for. The row "missing workload
 * identity token file" reads a file from the controller's disk, which the model does not follow.
 */
import { storeAuthError, EsoWorld } from './esoAuth';
import type { K8sObject } from './output';

const NS = 'default';
const SA = 'az-wi';
const TENANT = 'my-tenant-id';
const CLIENT = 'my-client-id';
const SECRET = 'mi-spec';
const VAULT_URL = 'https://local.vault.url';

const store = (provider: Record<string, unknown>, kind = 'SecretStore') =>
  ({
    apiVersion: 'external-secrets.io/v1',
    kind,
    metadata: { name: 's', namespace: NS },
    spec: { provider },
  } as K8sObject);
const account = (annotations: Record<string, string>, namespace = NS) =>
  ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: SA, namespace, annotations },
  } as K8sObject);
const secret = (data: Record<string, string>) =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET, namespace: NS },
    data,
  } as K8sObject);
const selector = (key: string) => ({ name: SECRET, namespace: NS, key });
const wi = (extra: Record<string, unknown> = {}) => ({
  azurekv: {
    vaultUrl: VAULT_URL,
    authType: 'WorkloadIdentity',
    serviceAccountRef: { name: SA },
    ...extra,
  },
});
const both = {
  [`azure.workload.identity/client-id`]: CLIENT,
  [`azure.workload.identity/tenant-id`]: TENANT,
};

describe('External Secrets azurekv workload identity (keyvault_auth_test.go)', () => {
  const rows: Array<[string, K8sObject, EsoWorld, string | undefined]> = [
    [
      'missing service account',
      store(wi()),
      { objects: [] },
      `serviceaccounts "${SA}" not found`,
    ],
    [
      'missing webhook env vars',
      store({ azurekv: { authType: 'WorkloadIdentity' } }),
      { objects: [] },
      'missing environment variables. AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE must be set',
    ],
    [
      'correct workload identity',
      store({ azurekv: { authType: 'WorkloadIdentity' } }),
      {
        objects: [],
        controllerEnv: {
          AZURE_CLIENT_ID: CLIENT,
          AZURE_TENANT_ID: TENANT,
          AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
        },
      },
      undefined,
    ],
    [
      'missing sa annotations, tenantID, and clientId/tenantId AuthSecretRef',
      store(wi()),
      { objects: [account({})] },
      "missing clientID: either serviceAccountRef or service account annotation 'azure.workload.identity/client-id' is missing",
    ],
    [
      'duplicated clientId',
      store(
        wi({
          tenantId: TENANT,
          authSecretRef: {
            clientId: selector(CLIENT),
            tenantId: selector(TENANT),
          },
        }),
      ),
      {
        objects: [
          account(both),
          secret({ [CLIENT]: 'clientid', [TENANT]: 'tenantid' }),
        ],
      },
      'multiple clientID found. Check secretRef and serviceAccountRef',
    ],
    [
      'duplicated tenantId',
      store(wi({ tenantId: TENANT })),
      { objects: [account(both)] },
      "multiple tenantID found. Check secretRef, 'spec.provider.azurekv.tenantId', and serviceAccountRef",
    ],
    [
      'successful case #1: ClientID, TenantID from ServiceAccountRef',
      store(wi()),
      { objects: [account(both)] },
      undefined,
    ],
    [
      'successful case #2: ClientID, TenantID from AuthSecretRef',
      store(
        wi({
          authSecretRef: {
            clientId: selector(CLIENT),
            tenantId: selector(TENANT),
          },
        }),
      ),
      {
        objects: [
          account({}),
          secret({ [CLIENT]: 'clientid', [TENANT]: 'tenantid' }),
        ],
      },
      undefined,
    ],
    [
      'successful case #3: ClientID from AuthSecretRef, TenantID from provider',
      store(
        wi({ tenantId: TENANT, authSecretRef: { clientId: selector(CLIENT) } }),
      ),
      { objects: [account({}), secret({ [CLIENT]: 'clientid' })] },
      undefined,
    ],
    // keyvault.go 1087-1095: the client id alone, no tenant anywhere and none in the controller's environment.
    [
      'client id without a tenant (the AKS store this project rendered)',
      store(wi()),
      { objects: [account({ 'azure.workload.identity/client-id': CLIENT })] },
      'missing tenantID in store config',
    ],
  ];
  it.each(rows)('%s', (_name, s, world, expected) => {
    expect(storeAuthError(s, world)).toBe(expected);
  });
});

describe('External Secrets aws jwt auth (auth_test.go)', () => {
  const other = 'other-ns';
  const cluster = store(
    {
      aws: {
        service: 'SecretsManager',
        auth: { jwt: { serviceAccountRef: { name: SA, namespace: other } } },
      },
    },
    'ClusterSecretStore',
  );
  it('jwt auth via cluster secret store: the account in the namespace the store names', () => {
    const world = {
      objects: [account({ 'eks.amazonaws.com/role-arn': 'my-sa-role' }, other)],
    };
    expect(storeAuthError(cluster, world)).toBeUndefined();
  });
  it('an account without the role annotation (auth.go:268-271)', () => {
    expect(storeAuthError(cluster, { objects: [account({}, other)] })).toBe(
      `an IAM role must be associated with service account ${SA} (namespace: ${other})`,
    );
  });
  it('a store the model does not follow is not taken as working', () => {
    expect(
      storeAuthError(store({ aws: { service: 'SecretsManager' } }), {
        objects: [],
      }),
    ).toMatch(/^not modelled/);
  });
});
