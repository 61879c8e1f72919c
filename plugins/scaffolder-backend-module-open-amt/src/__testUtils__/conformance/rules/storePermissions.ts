import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const BICEP = 'secrets-store/azure-key-vault/key-vault.bicep';
const CFN = 'secrets-store/aws/secrets-access.cfn.yaml';
/** Azure built-in roles (Azure RBAC docs, "Key Vault Secrets Officer" may write, "Key Vault Secrets User" only read). */
const SECRETS_OFFICER = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';
const SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
/**
 * What the toolkit's secrets provider does at run time: read, write and delete devices, profiles, CIRA configs,
 * MPSCerts; the provider kit's store restores a path still scheduled for deletion before writing it again and tells a
 * deleted secret from a failing read with DescribeSecret (open-amt-provider-kit src/secrets/awsSecretsManager).
 */
const SERVICE_WRITES = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:DeleteSecret',
  'secretsmanager:RestoreSecret',
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'kms:GenerateDataKey',
  'kms:Decrypt',
];
const WRITES =
  /^(secretsmanager:(Create|Put|Update|Delete|Restore|Tag)|kms:(Encrypt|GenerateDataKey))/;

function runtimePath(out: RenderedOutput): string | undefined {
  return out.containerEnv('mps').MPS_SECRETS_PATH;
}

/** Whether an IAM resource pattern (with CloudFormation's Fn::Sub prefix) covers a secret name. */
function covers(resource: unknown, secretName: string): boolean {
  const arn =
    typeof resource === 'string'
      ? resource
      : (resource as { 'Fn::Sub'?: string })?.['Fn::Sub'];
  const pattern = /:secret:(.+)$/.exec(arn ?? '')?.[1];
  if (!pattern) return false;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(secretName);
}

export const storePermissionsRule: ConformanceRule = {
  id: 'identity.store-permissions',
  fact:
    'MPS and RPS write through their secrets provider (devices, profiles, CIRA configs, MPSCerts), so their identity ' +
    'needs create/update/delete on their runtime path (and KMS data keys); External Secrets only reads; each holds no more.',
  source:
    'shared/reference/open-amt-traffic.md §4 (MPS/RPS write as well as read); Azure RBAC built-in roles for Key Vault; AWS Secrets Manager and KMS IAM actions',
  check(out) {
    const violations: string[] = [];
    const bicep = out.file(BICEP);
    if (bicep) {
      const assignments = [
        ...bicep.matchAll(
          /roleDefinitions', '([0-9a-f-]+)'\)\s*\n\s*principalId: (\w+)/g,
        ),
      ].map(m => ({ role: m[1], principal: m[2] }));
      const roleOf = (p: string) =>
        assignments.filter(a => a.principal === p).map(a => a.role);
      if (!roleOf('servicesPrincipalId').includes(SECRETS_OFFICER))
        violations.push(
          `${BICEP}: the identity MPS and RPS run as cannot write secrets (needs Key Vault Secrets Officer)`,
        );
      if (roleOf('readerPrincipalId').some(r => r !== SECRETS_USER))
        violations.push(
          `${BICEP}: the reader identity holds more than Key Vault Secrets User`,
        );
      if (!roleOf('readerPrincipalId').length)
        violations.push(`${BICEP}: the reader identity gets no role`);
      const accounts = out
        .kubernetesObjects()
        .filter(o => o.kind === 'ServiceAccount');
      const id = (name: string) =>
        accounts.find(a => a.metadata.name === name)?.metadata?.annotations?.[
          'azure.workload.identity/client-id'
        ];
      if (id('open-amt') && id('open-amt') === id('external-secrets'))
        violations.push(
          "ServiceAccounts open-amt and external-secrets share one identity: the reader would hold the writer's rights",
        );
    }
    const cfn = out.yaml(CFN)[0];
    if (cfn) {
      const path = runtimePath(out);
      const statements = (name: string): any[] =>
        cfn.Resources?.[name]?.Properties?.PolicyDocument?.Statement ?? [];
      const services = statements('ServicesWritePolicy');
      const probe = `${path ?? ''}devices/4c4c4544-004b-4210-8033-b6c04f504633`;
      for (const action of SERVICE_WRITES) {
        const allowed = services.some(
          st =>
            st.Effect === 'Allow' &&
            [st.Action].flat().includes(action) &&
            (action.startsWith('kms:') ||
              [st.Resource].flat().some(r => covers(r, probe))),
        );
        if (!allowed)
          violations.push(
            `${CFN}: ServicesWritePolicy does not allow ${action}${
              action.startsWith('kms:') ? '' : ` on ${probe}`
            }`,
          );
      }
      const readerWrites = statements('ReaderPolicy')
        .flatMap(st => [st.Action].flat())
        .filter((a: string) => WRITES.test(a));
      if (readerWrites.length)
        violations.push(
          `${CFN}: ReaderPolicy allows ${readerWrites.join(
            ', ',
          )}: External Secrets only reads`,
        );
      const accounts = out
        .kubernetesObjects()
        .filter(o => o.kind === 'ServiceAccount');
      const role = (name: string) =>
        accounts.find(a => a.metadata.name === name)?.metadata?.annotations?.[
          'eks.amazonaws.com/role-arn'
        ];
      if (role('open-amt') && role('open-amt') === role('external-secrets'))
        violations.push(
          'ServiceAccounts open-amt and external-secrets share one IAM role',
        );
    }
    return violations;
  },
};
