import { findProvider, listProviders } from './registry';

describe('provider registry', () => {
  it('lists every replacement row of the toolkit page', () => {
    expect(listProviders('database').map(p => p.id)).toEqual([
      'postgresql',
      'azure-postgresql',
      'amazon-rds-postgresql',
      'azure-sql',
      'mssql',
      'mariadb',
    ]);
    expect(listProviders('secrets').map(p => p.id)).toEqual([
      'vault',
      'azure-key-vault',
      'aws-kms',
    ]);
    expect(listProviders('gateway').map(p => p.id)).toEqual([
      'kong',
      'azure-apim',
      'aws-api-gateway',
      'google-cloud-endpoints',
      'tyk',
    ]);
  });

  it('marks exactly the choices the upstream images cannot run as custom', () => {
    const custom = [
      ...listProviders('database'),
      ...listProviders('secrets'),
      ...listProviders('gateway'),
    ]
      .filter(p => p.supportLevel === 'custom')
      .map(p => p.id);
    expect(custom).toEqual([
      'azure-sql',
      'mssql',
      'mariadb',
      'azure-key-vault',
      'aws-kms',
    ]);
  });

  it('does not resolve prototype keys as providers', () => {
    expect(findProvider('database', 'toString')).toBeUndefined();
    expect(findProvider('gateway', 'tyk')?.label).toMatch(/Tyk/);
  });
});
