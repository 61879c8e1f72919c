import { inject, rendered } from './fixtures';
import { notVerifiedRule } from './rules/notVerified';

describe(`${notVerifiedRule.id}`, () => {
  it('fails when the runbook drops the not-verified statement of the chosen gateway', () => {
    const apim = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'azure-apim',
      target: 'compose',
    });
    expect(notVerifiedRule.check(apim)).toEqual([]);
    expect(
      notVerifiedRule.check(
        inject(
          apim,
          'README.md',
          /## Not verified\n\n- [^\n]+/,
          '## Not verified\n',
        ),
      ),
    ).toEqual([
      'README.md: does not say what of Azure API Management is not verified',
    ]);
  });

  it('fails when the runbook drops how far a kit provider is verified', () => {
    const kit = rendered({
      database: 'mariadb',
      secrets: 'azure-key-vault',
      gateway: 'kong',
      target: 'aks',
    });
    expect(notVerifiedRule.check(kit)).toEqual([]);
    expect(
      notVerifiedRule.check(
        inject(kit, 'README.md', /\n- \*\*Azure Key Vault\*\*: [^\n]+/, ''),
      ),
    ).toEqual([
      'README.md: does not say what of Azure Key Vault is not verified',
    ]);
  });
});
