import type { ConformanceRule } from '../types';

const STACK = 'gateway/aws-api-gateway/api.cfn.yaml';

export const authorizerDecryptRule: ConformanceRule = {
  id: 'identity.authorizer-reads-jwt-secret',
  fact:
    'The Lambda authorizer reads the JWT secret from Secrets Manager on every cold start; for a secret encrypted with a ' +
    'customer-managed KMS key, GetSecretValue also needs kms:Decrypt on that key for the caller, or every request is ' +
    'refused (401) at the gateway.',
  source:
    'AWS Secrets Manager docs "Authentication and access control" (kms:Decrypt for customer managed keys); issue 12 item 7',
  check(out) {
    const stack = out.yaml(STACK)[0];
    if (!stack) return [];
    const statements: any[] = (
      stack.Resources?.AuthorizerRole?.Properties?.Policies ?? []
    ).flatMap((p: any) => p.PolicyDocument?.Statement ?? []);
    const allows = (action: string) =>
      statements.some(
        st => st.Effect === 'Allow' && [st.Action].flat().includes(action),
      );
    const violations: string[] = [];
    if (!allows('secretsmanager:GetSecretValue'))
      violations.push(`${STACK}: the authorizer may not read the JWT secret`);
    if (out.spec.secrets.provider === 'aws-kms' && !allows('kms:Decrypt')) {
      violations.push(
        `${STACK}: the authorizer may not decrypt the JWT secret (customer-managed KMS key ${out.spec.secrets.kmsKeyId})`,
      );
    }
    return violations;
  },
};
