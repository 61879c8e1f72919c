import { screen, within } from '@testing-library/react';
import { DeploymentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import {
  ACME_DB,
  registryWithAcme,
  registryWithout,
} from '../../__testUtils__/acmeProviders';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { deploymentHealth, systemEntity } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { EntityOpenAmtDeploymentContent } from '../EntityOpenAmtDeploymentContent';
import { EntityOpenAmtHealthCard } from './EntityOpenAmtHealthCard';

/** A deployment whose database is the one the adopter's module added. */
function acmeHealth(): DeploymentHealth {
  const health = deploymentHealth();
  return {
    ...health,
    components: health.components.map(c =>
      c.component === 'database'
        ? { ...c, provider: 'acme-db', supportLevel: 'custom' }
        : c,
    ),
  };
}

function apiAnswering(providers: FakeOpenAmtApi['providers']) {
  const api = new FakeOpenAmtApi();
  api.setHealth(acmeHealth());
  api.providers = providers;
  return api;
}

const databaseRow = () => within(screen.getByTestId('component-row-database'));

describe('the health card and tab with the backend registry', () => {
  it('show a provider an adopter added by its label, level and not-verified text', async () => {
    const api = apiAnswering(registryWithAcme());
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await databaseRow().findByText('Acme DB')).toBeInTheDocument();
    expect(databaseRow().queryByText('acme-db')).toBeNull();
    expect(databaseRow().getByTestId('support-level-custom')).toHaveTextContent(
      'Custom',
    );
    expect(
      databaseRow().getByTestId('component-not-verified-database'),
    ).toHaveTextContent(`Not verified: ${ACME_DB.notVerified}`);
  });

  it('show an id the backend does not list as the bare id, with no level or texts invented', async () => {
    const api = apiAnswering(registryWithout('acme-db'));
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await databaseRow().findByText('acme-db')).toBeInTheDocument();
    expect(databaseRow().queryByText('Acme DB')).toBeNull();
    expect(databaseRow().queryByTestId('support-level-custom')).toBeNull();
    expect(
      databaseRow().queryByTestId('component-not-verified-database'),
    ).toBeNull();
    // The built-ins it does list still read as themselves.
    expect(
      within(screen.getByTestId('component-row-gateway')).getByText(/^Kong/),
    ).toBeInTheDocument();
  });

  it('fall back to the built-in labels when the registry cannot be read', async () => {
    const api = apiAnswering(registryWithAcme());
    api.providersFailure = new Error('503 Service Unavailable');
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await databaseRow().findByText('acme-db')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('component-row-secrets')).getByText(
        'Azure Key Vault',
      ),
    ).toBeInTheDocument();
    expect(api.calls.providers).toBe(1);
  });

  it("list the added provider's console and documentation on the tab", async () => {
    const api = apiAnswering(registryWithAcme());
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    const link = await screen.findByText('Open the Acme DB console');
    expect(link.closest('a')).toHaveAttribute('href', ACME_DB.consoleUrl);
  });
});
