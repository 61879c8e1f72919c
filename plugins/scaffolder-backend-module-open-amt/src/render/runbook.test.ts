/**
 * The runbook's account of the support levels: the provider kit this repository builds into the MPS/RPS images, and
 * how far each kit provider is verified. An old "build your own custom provider" text must fail here.
 */
import {
  DATABASE_PROVIDERS,
  parseDeploymentSpec,
  SECRETS_PROVIDERS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { Combination, specFor } from '../__testUtils__/specs';
import { renderRunbook } from './runbook';

const readmeOf = (c: Omit<Combination, 'gateway'>) => {
  const spec = parseDeploymentSpec(specFor({ gateway: 'kong', ...c }));
  return { spec, readme: renderRunbook(spec)[0].content };
};

/** The lines of one `## ` section of the runbook. */
const section = (readme: string, heading: string) =>
  readme.match(new RegExp(`\\n## ${heading}\\n([\\s\\S]*?)\\n(?=## )`))?.[1] ??
  '';

describe('runbook: support levels and the provider kit', () => {
  it('describes the kit for MariaDB and Key Vault: the images this repository builds, one command, what is left by hand', () => {
    const { spec, readme } = readmeOf({
      database: 'mariadb',
      secrets: 'azure-key-vault',
      target: 'aks',
    });
    const kit = section(readme, 'Provider kit \\(required\\)');
    expect(kit).toContain(
      'This project supplies the MariaDB and Azure Key Vault providers (its provider kit), and this repository builds them into the images the deployment runs',
    );
    expect(kit).toContain(`\`${spec.images.mps}\` and \`${spec.images.rps}\``);
    expect(kit).toContain(
      'one command, `scripts/build-images.sh`, builds both',
    );
    expect(kit).toContain(
      "- MariaDB: this project's `mariadb` provider, selected by `db_provider` = `mariadb`",
    );
    expect(kit).toContain('the tables in `database/mariadb/` (MPS: devices;');
    expect(kit).toContain(
      "- Azure Key Vault: this project's `azure-key-vault` provider, selected by `secrets_provider` = `azure-key-vault`",
    );
    expect(kit).toContain(
      'so MPS never replaces `MPSCerts` after a failed read',
    );
    expect(kit).toMatch(
      /- By hand: run `scripts\/build-images\.sh` .*initialise the database and grant the services' identity its role on the store/,
    );
    expect(kit).toContain('Kubernetes pins uid 1000 (`runAsUser`)');
    // Nothing left of "write your own provider" for a kit choice.
    expect(readme).not.toMatch(
      /implementing `(IDB|ISecretManagerService)`|custom provider|Custom providers|toolkit (Database|Secrets) guide/,
    );
    expect(readme).not.toContain('## Your own providers');
  });

  it('says only what the chosen kit part needs', () => {
    const db = section(
      readmeOf({ database: 'mssql', secrets: 'vault', target: 'eks' }).readme,
      'Provider kit \\(required\\)',
    );
    expect(db).toContain('supplies the Microsoft SQL Server providers');
    expect(db).toContain('initialise the database as the steps below say');
    expect(db).not.toContain('secrets_provider');
    const store = section(
      readmeOf({ database: 'postgresql', secrets: 'aws-kms', target: 'eks' })
        .readme,
      'Provider kit \\(required\\)',
    );
    expect(store).toContain('supplies the AWS KMS + Secrets Manager providers');
    expect(store).toContain('`secrets_provider` = `aws-secrets-manager`');
    expect(store).not.toContain('db_provider');
  });

  it('legends each level shown in the choices table in the registry words, kit as supplied by this project', () => {
    const { readme } = readmeOf({
      database: 'mariadb',
      secrets: 'vault',
      target: 'aks',
    });
    expect(readme).toContain('| Database | MariaDB (`mariadb`) | kit |');
    expect(readme).toContain(
      '*kit*: provider supplied by this project, built into the MPS/RPS images by your deployment repository (see Provider kit below).',
    );
    expect(readme).toContain('*native*: the upstream MPS and RPS images run');
    expect(readme).not.toContain('*custom*');

    const native = readmeOf({
      database: 'postgresql',
      secrets: 'vault',
      target: 'aks',
    }).readme;
    expect(native).not.toContain('*kit*');
    expect(section(native, 'Provider kit')).toContain(
      "None needed: no choice above needs a provider from this project's kit.",
    );
    expect(native).not.toContain('scripts/build-images.sh');
  });

  it('states that MPS runs alone on MariaDB, and how far each kit provider is verified', () => {
    const { readme } = readmeOf({
      database: 'mariadb',
      secrets: 'aws-kms',
      target: 'eks',
    });
    // One MPS is a scaling constraint the choices table states, not a "not production-ready" limitation.
    expect(readme).not.toContain('## Limitations');
    expect(readme).toContain(
      'so MPS runs as one instance whatever replicas.mps asks.',
    );
    const notVerified = section(readme, 'Not verified');
    expect(notVerified).toContain(
      `- **MariaDB**: ${DATABASE_PROVIDERS.mariadb.notVerified}`,
    );
    expect(notVerified).toContain(
      `- **AWS KMS + Secrets Manager**: ${SECRETS_PROVIDERS['aws-kms'].notVerified}`,
    );
    expect(readme).toMatch(
      /- mps: `[^`]+` × 1 \(mps-router cannot look devices up in MariaDB, so MPS runs alone\)/,
    );
  });
});
