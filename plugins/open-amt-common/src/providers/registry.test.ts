import { DatabaseProviderInfo } from './databases';
import { findProvider, listProviders } from './registry';
import { asSupportLevel, supportLevelMeaning } from './supportLevels';
import { SUPPORT_LEVELS } from './types';

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

  const all = () => [
    ...listProviders('database'),
    ...listProviders('secrets'),
    ...listProviders('gateway'),
  ];

  it('marks exactly the choices the upstream images cannot run as kit (this project supplies their providers)', () => {
    expect(
      all()
        .filter(p => p.supportLevel === 'kit')
        .map(p => p.id),
    ).toEqual(['azure-sql', 'mssql', 'mariadb', 'azure-key-vault', 'aws-kms']);
    // custom is for providers an adopter's module adds, never a built-in row.
    expect(all().filter(p => p.supportLevel === 'custom')).toEqual([]);
  });

  it('says what the kit does for a kit row, never that the operator writes the provider', () => {
    for (const p of all().filter(row => row.supportLevel === 'kit')) {
      expect(`${p.id}: ${p.implication}`).toMatch(
        /this project's .+ provider( \([^)]+\))?, which your deployment repository builds into them \(scripts\/build-images\.sh or its CI workflow\)/,
      );
      expect(`${p.id}: ${p.implication}`).not.toMatch(
        /custom (IDB|ISecretManagerService|provider|image)|toolkit (Database|Secrets) guide|build images with/i,
      );
    }
  });

  it('states how far each kit provider is verified, and what was not run', () => {
    const notVerified = (kind: 'database' | 'secrets', id: string) =>
      findProvider(kind, id)?.notVerified ?? '';
    expect(notVerified('database', 'mariadb')).toMatch(
      /tested on a real MariaDB server with both releases' schemas, and run inside upstream MPS and RPS of both releases \(v2\.13\.21 \/ v2\.22\.14 and v2\.34\.1 \/ v2\.39\.4\) against upstream's own API collections/,
    );
    expect(notVerified('database', 'mariadb')).toMatch(
      /real AMT devices.*over TLS/,
    );
    for (const id of ['mssql', 'azure-sql'])
      expect(notVerified('database', id)).toMatch(
        /were not executed against (Microsoft SQL Server|Azure SQL Database) here.*only the statements they send \(as text\), their error mapping and their connection strings were tested/,
      );
    expect(notVerified('secrets', 'azure-key-vault')).toMatch(
      /real Azure SDK .*contract server .*soft delete and recovery included, and run inside upstream MPS and RPS of both releases .*not against a real vault/,
    );
    expect(notVerified('secrets', 'aws-kms')).toMatch(
      /real AWS SDK .*contract server .*recovery windows and the KMS key on create included, and run inside upstream MPS and RPS of both releases .*not against AWS/,
    );
    for (const p of all().filter(row => row.supportLevel === 'kit'))
      expect(p.notVerified).toBeTruthy();
  });

  it('says on every database mps-router cannot read that MPS runs as one instance (a constraint, not a limitation)', () => {
    const databases = listProviders('database') as DatabaseProviderInfo[];
    expect(databases.filter(p => p.limitation)).toEqual([]);
    const mentions = (p: DatabaseProviderInfo) =>
      new RegExp(
        `mps-router only speaks PostgreSQL .*cannot look devices up in ${p.label}, so MPS runs as one instance`,
      ).test(p.implication);
    expect(databases.filter(mentions).map(p => p.id)).toEqual(
      databases.filter(p => p.engine !== 'postgres').map(p => p.id),
    );
    expect(databases.filter(mentions).map(p => p.id)).toEqual([
      'azure-sql',
      'mssql',
      'mariadb',
    ]);
  });

  it('explains every support level in words, the kit as supplied by this project', () => {
    expect(SUPPORT_LEVELS.map(supportLevelMeaning)).toEqual([
      expect.stringMatching(
        /upstream MPS and RPS images run with this choice as they are/,
      ),
      'provider supplied by this project, built into the MPS/RPS images by your deployment repository',
      expect.stringMatching(/added by your own module/),
    ]);
    expect(asSupportLevel('kit')).toBe('kit');
    expect(asSupportLevel('vendor')).toBeUndefined();
  });

  it('does not resolve prototype keys as providers', () => {
    expect(findProvider('database', 'toString')).toBeUndefined();
    expect(findProvider('gateway', 'tyk')?.label).toMatch(/Tyk/);
  });
});
