import { azureSecretName, parseSecretRef, secretSpecFromRef } from './refs';
import { secretStoreAdapters } from '.';

describe('secret references', () => {
  it('round-trips refFor output of every adapter', () => {
    const vault = secretStoreAdapters.vault.refFor(
      {
        provider: 'vault',
        address: 'https://vault.example.com',
        mount: 'kv',
        pathPrefix: 'open-amt/prod',
      },
      'probe',
    );
    expect(vault).toBe('vault:kv/open-amt/prod/probe');
    expect(
      secretSpecFromRef(vault, { vaultAddress: 'https://vault.example.com' }),
    ).toEqual({
      spec: {
        provider: 'vault',
        address: 'https://vault.example.com',
        mount: 'kv',
        pathPrefix: 'open-amt/prod',
      },
      name: 'probe',
    });
    const azure = secretStoreAdapters['azure-key-vault'].refFor(
      {
        provider: 'azure-key-vault',
        vaultUrl: 'https://x.vault.azure.net/',
        prefix: 'open-amt-prod',
      },
      'probe',
    );
    expect(azure).toBe(
      'azure-key-vault:https://x.vault.azure.net/open-amt-prod-probe',
    );
    expect(secretSpecFromRef(azure)).toEqual({
      spec: {
        provider: 'azure-key-vault',
        vaultUrl: 'https://x.vault.azure.net',
        prefix: '',
      },
      name: 'open-amt-prod-probe',
    });
    const aws = secretStoreAdapters['aws-kms'].refFor(
      {
        provider: 'aws-kms',
        region: 'eu-west-1',
        kmsKeyId: 'k',
        prefix: 'open-amt/prod',
      },
      'probe',
    );
    expect(aws).toBe('aws-kms:eu-west-1/open-amt/prod/probe');
    expect(parseSecretRef(aws)).toMatchObject({
      region: 'eu-west-1',
      prefix: 'open-amt/prod',
      name: 'probe',
    });
  });

  it('parses the annotation examples from common', () => {
    expect(parseSecretRef('vault:kv/open-amt/prod/probe')).toEqual({
      provider: 'vault',
      mount: 'kv',
      pathPrefix: 'open-amt/prod',
      name: 'probe',
    });
    expect(
      parseSecretRef('azure-key-vault:https://x.vault.azure.net/open-amt-prod'),
    ).toMatchObject({ secretName: 'open-amt-prod' });
    expect(parseSecretRef('aws-kms:eu-west-1/open-amt/prod')).toMatchObject({
      region: 'eu-west-1',
      prefix: 'open-amt',
      name: 'prod',
    });
  });

  it.each([
    ['', /unknown store/],
    ['secret:foo', /unknown store/],
    ['vault:kv', /vault:<mount>/],
    ['azure-key-vault:http://x.vault.azure.net/a', /azure-key-vault:https/],
    ['azure-key-vault:https://x.vault.azure.net/a/b', /azure-key-vault:https/],
    ['azure-key-vault:https://x.vault.azure.net/bad_name', /only 0-9/],
    ['aws-kms:moon-1/x/y', /aws-kms:<region>/],
  ])('refuses %j', (ref, message) => {
    expect(() => parseSecretRef(ref)).toThrow(message);
  });

  it('makes Key Vault names out of any entry name', () => {
    expect(azureSecretName('open-amt', 'mps.web_admin')).toBe(
      'open-amt-mps-web-admin',
    );
    expect(azureSecretName('', 'rps')).toBe('rps');
    expect(azureSecretName('p', 'x'.repeat(300))).toHaveLength(127);
    expect(() => azureSecretName('', '___')).toThrow(/no characters/);
  });
});
