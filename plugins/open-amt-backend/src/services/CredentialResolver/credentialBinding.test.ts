import {
  readDeploymentTarget,
  PROBE_BINDING_KEYS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  databaseRefusal,
  ownerRefusal,
  secretsStoreRefusal,
} from './credentialBinding';
import { notConfiguredReason } from './ownIdentity';

const REF = 'vault:kv/open-amt/prod-probe';
const bound = {
  dbUser: 'prod_probe',
  dbPassword: 'x',
  [PROBE_BINDING_KEYS.entityRef]: 'system:default/prod',
  [PROBE_BINDING_KEYS.databaseEndpoint]: 'db.prod.example.com:5432',
  [PROBE_BINDING_KEYS.databaseTlsMode]: 'require',
  [PROBE_BINDING_KEYS.secretsEndpoint]: 'https://vault.prod.example.com:8200',
};

function target(
  annotations: Record<string, string> = {},
  name = 'prod',
  namespace = 'default',
) {
  return readDeploymentTarget({
    kind: 'System',
    metadata: {
      name,
      namespace,
      annotations: {
        'open-amt.io/deployment': name,
        'open-amt.io/database-provider': 'postgresql',
        'open-amt.io/database-endpoint': 'db.prod.example.com:5432',
        'open-amt.io/database-tls-mode': 'require',
        'open-amt.io/secrets-provider': 'vault',
        'open-amt.io/secrets-endpoint': 'https://vault.prod.example.com:8200/',
        'open-amt.io/credentials-ref': REF,
        ...annotations,
      },
    },
  })!;
}

describe('probe credential binding', () => {
  it('allows the deployment it was provisioned for, at its endpoint, with its TLS or stronger', () => {
    expect(ownerRefusal(target(), REF, bound)).toBeUndefined();
    expect(databaseRefusal(target().database!, REF, bound)).toBeUndefined();
    expect(
      databaseRefusal(
        target({ 'open-amt.io/database-tls-mode': 'verify-full' }).database!,
        REF,
        bound,
      ),
    ).toBeUndefined();
    expect(
      databaseRefusal(
        target({ 'open-amt.io/database-endpoint': 'DB.prod.example.com.:5432' })
          .database!,
        REF,
        bound,
      ),
    ).toBeUndefined();
    expect(secretsStoreRefusal(target().secrets!, REF, bound)).toBeUndefined();
  });

  it('refuses another entity, another entry name and an unbound entry (asking to re-provision)', () => {
    expect(ownerRefusal(target({}, 'prod', 'other'), REF, bound)).toMatch(
      /provisioned for system:default\/prod, not system:other\/prod/,
    );
    expect(
      ownerRefusal(target({}, 'evil'), REF, {
        ...bound,
        [PROBE_BINDING_KEYS.entityRef]: 'system:default/evil',
      }),
    ).toMatch(
      /not this deployment's probe entry \(expected one named evil-probe\)/,
    );
    const { boundEntityRef, ...unbound } = bound;
    void boundEntityRef;
    expect(ownerRefusal(target(), REF, unbound)).toMatch(
      /not bound to a deployment .*open-amt:secrets:provision/,
    );
  });

  it('never sends the login to another database endpoint, nor with weaker TLS', () => {
    expect(
      databaseRefusal(
        target({ 'open-amt.io/database-endpoint': '127.0.0.1:5432' }).database!,
        REF,
        bound,
      ),
    ).toMatch(
      /provisioned for the database at db.prod.example.com:5432, not 127.0.0.1:5432/,
    );
    expect(
      databaseRefusal(
        target({ 'open-amt.io/database-endpoint': 'db.prod.example.com:6432' })
          .database!,
        REF,
        bound,
      ),
    ).toMatch(/not db.prod.example.com:6432/);
    expect(
      databaseRefusal(
        target({ 'open-amt.io/database-tls-mode': 'disable' }).database!,
        REF,
        bound,
      ),
    ).toMatch(/TLS require; the deployment asks for disable/);
    const { boundDatabaseTlsMode, ...noTls } = bound;
    void boundDatabaseTlsMode;
    expect(databaseRefusal(target().database!, REF, noTls)).toMatch(
      /does not name the database/,
    );
  });

  it("keeps a deployment's store token for the store it was provisioned for", () => {
    expect(
      secretsStoreRefusal(
        target({ 'open-amt.io/secrets-endpoint': 'http://127.0.0.1:9999' })
          .secrets!,
        REF,
        bound,
      ),
    ).toMatch(
      /provisioned for the secrets store https:\/\/vault.prod.example.com:8200, not http:\/\/127.0.0.1:9999/,
    );
  });
});

describe("the portal's own store identity", () => {
  const config = {
    vault: { address: 'https://vault.internal:8200/' },
    azure: { vaultUrls: ['https://portal.vault.azure.net'] },
    aws: { region: 'eu-west-1' },
  };
  it('is only for the configured stores', () => {
    expect(
      notConfiguredReason(
        {
          provider: 'vault',
          address: 'https://vault.internal:8200',
          mount: 'kv',
          pathPrefix: 'x',
        },
        config,
      ),
    ).toBeUndefined();
    expect(
      notConfiguredReason(
        {
          provider: 'vault',
          address: 'https://evil.example.com:8200',
          mount: 'kv',
          pathPrefix: 'x',
        },
        config,
      ),
    ).toMatch(/not the portal's Vault/);
    expect(
      notConfiguredReason(
        {
          provider: 'vault',
          address: 'https://vault.internal:8200',
          mount: 'kv',
          pathPrefix: 'x',
        },
        {},
      ),
    ).toMatch(/no Vault identity/);
    expect(
      notConfiguredReason(
        {
          provider: 'azure-key-vault',
          vaultUrl: 'https://portal.vault.azure.net/',
          prefix: '',
        },
        config,
      ),
    ).toBeUndefined();
    expect(
      notConfiguredReason(
        {
          provider: 'azure-key-vault',
          vaultUrl: 'https://attacker.vault.azure.net',
          prefix: '',
        },
        config,
      ),
    ).toMatch(/vaultUrls/);
    const aws = {
      provider: 'aws-kms' as const,
      region: 'eu-west-1',
      kmsKeyId: 'k',
      prefix: 'p',
    };
    expect(notConfiguredReason(aws, config)).toBeUndefined();
    expect(
      notConfiguredReason({ ...aws, region: 'us-east-1' }, config),
    ).toMatch(/region us-east-1/);
    expect(
      notConfiguredReason(
        { ...aws, endpoint: 'http://127.0.0.1:9999' },
        config,
      ),
    ).toMatch(/endpoint http:\/\/127.0.0.1:9999/);
  });
});
