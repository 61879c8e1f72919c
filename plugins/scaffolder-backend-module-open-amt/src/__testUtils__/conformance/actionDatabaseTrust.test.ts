/**
 * trust.actions-database-ca on the defects it guards: the action without the deployment's CA (the measured
 * failure), and a deployment reading another entry or key than the action.
 */
import { inject, rendered } from './fixtures';
import { RenderedOutput } from './output';
import { actionDatabaseTrustRule } from './rules/actionDatabaseTrust';

const check = (out: RenderedOutput) =>
  actionDatabaseTrustRule.check(out).join('\n');

describe(`${actionDatabaseTrustRule.id} fails on the defect it guards`, () => {
  const compose = rendered({
    database: 'azure-postgresql',
    secrets: 'azure-key-vault',
    gateway: 'kong',
    target: 'compose',
  });
  const eks = rendered({
    database: 'amazon-rds-postgresql',
    secrets: 'vault',
    gateway: 'kong',
    target: 'eks',
  });
  const awsCompose = rendered({
    database: 'amazon-rds-postgresql',
    secrets: 'aws-kms',
    gateway: 'aws-api-gateway',
    target: 'compose',
  });

  it('conforms as rendered (each store names the entry its own way)', () => {
    expect(check(compose)).toBe('');
    expect(check(eks)).toBe('');
    expect(check(awsCompose)).toBe('');
  });

  it('the action verifying with no CA while the services use one (before the fix)', () => {
    const withoutCa = (out: RenderedOutput) =>
      new RenderedOutput(
        {
          ...out.spec,
          database: { ...out.spec.database, caCertSecret: undefined },
        },
        out.files,
      );
    expect(check(withoutCa(compose))).toMatch(
      /resolve-secrets\.sh: the services verify the database with a CA from the store, open-amt:database:init with none/,
    );
    expect(check(withoutCa(eks))).toMatch(
      /ExternalSecret database-ca: the services verify .* with none/,
    );
  });

  it('the deployment reading another key, another entry, or no CA at all', () => {
    const script = 'scripts/resolve-secrets.sh';
    expect(
      check(inject(compose, script, "jq -r '.ca'", "jq -r '.pem'")),
    ).toMatch(/reads key pem of the CA entry; open-amt:database:init reads ca/);
    expect(
      check(inject(compose, script, 'open-amt-db-ca-bundle', 'open-amt-db-ca')),
    ).toMatch(/not from open-amt-db-ca-bundle/);
    expect(
      check(inject(compose, script, /\n[^\n]*> secrets\/database-ca\.pem/, '')),
    ).toMatch(/the rendered deployment gives its services no CA/);
    expect(
      check(
        inject(
          eks,
          'kubernetes/external-secrets.yaml',
          /(remoteRef:\n\s+key: \S+db-ca-bundle\n\s+property: )ca/,
          '$1pem',
        ),
      ),
    ).toMatch(/reads key pem/);
  });
});
