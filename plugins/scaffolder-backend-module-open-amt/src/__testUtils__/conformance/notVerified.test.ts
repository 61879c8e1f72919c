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
});
