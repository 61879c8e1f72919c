import { inject, rendered } from './fixtures';
import { secretSourcesRule } from './rules/secretSources';

describe(`${secretSourcesRule.id} fails on the defect it guards`, () => {
  const vault = rendered({
    database: 'postgresql',
    secrets: 'vault',
    gateway: 'kong',
    target: 'kubernetes',
  });
  const aws = rendered({
    database: 'amazon-rds-postgresql',
    secrets: 'aws-kms',
    gateway: 'kong',
    target: 'kubernetes',
  });

  it("holds as rendered, on the cloud's own cluster and on another", () => {
    for (const out of [
      vault,
      aws,
      rendered({
        database: 'postgresql',
        secrets: 'azure-key-vault',
        gateway: 'tyk',
        target: 'eks',
      }),
    ]) {
      expect(secretSourcesRule.check(out)).toEqual([]);
    }
  });

  it('a Secret nothing creates: the file that holds its ExternalSecret left out of the kustomization', () => {
    const defect = inject(
      vault,
      'kubernetes/kustomization.yaml',
      /\n\s+- external-secrets.yaml/,
      '',
    );
    expect(secretSourcesRule.check(defect)).toContain(
      'StatefulSet mps container mps env MPS_JWT_SECRET: Secret/mps-secrets is created by nothing in the kustomization',
    );
  });

  it('a key the ExternalSecret does not write', () => {
    const defect = inject(
      vault,
      'kubernetes/external-secrets.yaml',
      'secretKey: mps-jwt-secret',
      'secretKey: mps-jwt',
    );
    expect(secretSourcesRule.check(defect)).toContain(
      'StatefulSet mps container mps env MPS_JWT_SECRET: Secret/mps-secrets has no key mps-jwt-secret',
    );
  });

  it('a store nobody can log in to: Secrets Manager through a service account without an IAM role', () => {
    const defect = inject(
      aws,
      'kubernetes/serviceaccounts.yaml',
      /\n\s+eks.amazonaws.com\/role-arn: [^\n]*READER_ROLE_ARN[^\n]*/,
      '',
    );
    expect(secretSourcesRule.check(defect).join('\n')).toMatch(
      /Secret\/mps-secrets — ExternalSecret mps-secrets never writes it: its AWS provider authenticates as no ServiceAccount carrying an IAM role/,
    );
  });
});
