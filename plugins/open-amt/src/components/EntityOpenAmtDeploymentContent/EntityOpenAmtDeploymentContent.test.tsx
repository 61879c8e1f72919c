import { screen, within, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  computeDeploymentDrift,
  HistoryBucket,
  LATEST_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';
import { EntityOpenAmtDeploymentContent } from './EntityOpenAmtDeploymentContent';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import {
  deploymentHealth,
  partEntity,
  plainEntity,
  systemEntity,
} from '../../__testUtils__/fixtures';

const bucket = (over: Partial<HistoryBucket>): HistoryBucket => ({
  component: 'mps',
  start: new Date(Date.now() - 3_600_000).toISOString(),
  bucketSeconds: 300,
  samples: 10,
  uptime: 1,
  latencyP50Ms: 12,
  latencyP95Ms: 40,
  ...over,
});

function apiWith(health = deploymentHealth()) {
  const api = new FakeOpenAmtApi();
  api.setHealth(health);
  return api;
}

const entity = systemEntity({
  annotations: {
    'backstage.io/source-location':
      'url:https://git.example.com/acme/prod-eu/tree/main/',
  },
});

describe('EntityOpenAmtDeploymentContent', () => {
  it('explains the missing annotation', async () => {
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api: apiWith(),
      entity: plainEntity,
    });
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
  });

  it('shows errors through the response error panel', async () => {
    const api = apiWith();
    api.failWith = new Error('backend down');
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });
    expect(
      await screen.findByText(/Could not load the deployment's health/),
    ).toBeInTheDocument();
  });

  it('shows the component table and a history summary per component', async () => {
    const api = apiWith(deploymentHealth({ statuses: { rps: 'degraded' } }));
    api.history = {
      entityRef: 'system:default/prod-eu',
      from: '',
      to: '',
      buckets: [
        bucket({ samples: 10, uptime: 1, latencyP50Ms: 10, latencyP95Ms: 30 }),
        bucket({
          samples: 20,
          uptime: 0.75,
          latencyP50Ms: 30,
          latencyP95Ms: 120,
        }),
        bucket({ component: 'gateway', samples: 5, uptime: 0 }),
        bucket({ component: 'cira', samples: 4, uptime: 0.5 }),
      ],
      transitions: [
        {
          component: 'rps',
          from: 'healthy',
          to: 'degraded',
          at: new Date().toISOString(),
          message: 'RPS answers slowly',
        },
      ],
    };
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });

    expect(await screen.findByTestId('component-row-rps')).toHaveTextContent(
      'Degraded',
    );
    const mps = within(await screen.findByTestId('history-row-mps'));
    expect(mps.getByText('83.3 %')).toBeInTheDocument(); // (10×1 + 20×0.75) / 30
    expect(mps.getByText('20 ms')).toBeInTheDocument(); // median of bucket p50s
    expect(mps.getByText('120 ms')).toBeInTheDocument(); // worst bucket p95
    expect(
      within(screen.getByTestId('history-row-gateway')).getByText('0.0 %'),
    ).toBeInTheDocument();
    const cira = within(screen.getByTestId('history-row-cira'));
    expect(cira.getByText('CIRA endpoint')).toBeInTheDocument();
    expect(cira.getByText('50.0 %')).toBeInTheDocument();
    expect(screen.queryByTestId('history-row-rps')).not.toBeInTheDocument();
    expect(screen.getByText('RPS answers slowly')).toBeInTheDocument();
  });

  it('reads the history for the chosen range', async () => {
    const api = apiWith();
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });
    await waitFor(() => expect(api.calls.history.length).toBeGreaterThan(0));
    const span = (i: number) =>
      api.calls.history[i].to.getTime() - api.calls.history[i].from.getTime();
    expect(span(0)).toBe(86_400_000);

    await userEvent.click(screen.getByLabelText('Last 7 days'));
    await waitFor(() =>
      expect(span(api.calls.history.length - 1)).toBe(7 * 86_400_000),
    );
    await userEvent.click(screen.getByLabelText('Last hour'));
    await waitFor(() =>
      expect(span(api.calls.history.length - 1)).toBe(3_600_000),
    );
    expect(api.calls.history.every(c => c.ref.name === 'prod-eu')).toBe(true);
  });

  it('lists gateway drift from the probe details', async () => {
    const api = apiWith(
      deploymentHealth({
        statuses: { gateway: 'degraded' },
        details: {
          gateway: {
            drift: {
              missing: [{ name: 'rps-activate', path: '/activate' }],
              changed: [
                { name: 'rps', field: 'jwt', expected: true, actual: false },
              ],
            },
          },
        },
      }),
    );
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });
    expect(await screen.findByText('Missing routes (1)')).toBeInTheDocument();
    expect(screen.getByText('rps-activate /activate')).toBeInTheDocument();
    expect(
      screen.getByText('rps — field jwt — expected true, found false'),
    ).toBeInTheDocument();
  });

  it('explains each drift item and the action that fixes it', async () => {
    const health = deploymentHealth({
      details: {
        gateway: { routesNotCheckable: 'Tyk needs its gateway secret.' },
      },
    });
    // The backend's own computation: an unannotated (v2.26.0) deployment, services reporting no version.
    health.drift = computeDeploymentDrift({ components: health.components });
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api: apiWith(health),
      entity,
    });
    const release = await screen.findByTestId('drift-item-release');
    expect(release).toHaveTextContent('Toolkit release: Behind');
    expect(release).toHaveTextContent(
      `Fix: Run the 'Upgrade an Open AMT deployment' template to move it to ${LATEST_TOOLKIT_RELEASE.id}.`,
    );
    expect(screen.getByTestId('drift-item-gatewayRoutes')).toHaveTextContent(
      'Gateway routes: Not checkable',
    );
    expect(
      screen.getAllByText('Tyk needs its gateway secret.').length,
    ).toBeGreaterThan(0);
    expect(screen.getByTestId('drift-item-schema')).not.toHaveTextContent(
      'Fix:',
    );
  });

  it('says when the gateway carries every route', async () => {
    const api = apiWith(
      deploymentHealth({ details: { gateway: { drift: [] } } }),
    );
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });
    expect(await screen.findByText(/No drift/)).toBeInTheDocument();
  });

  it('links the runbook and the providers consoles, and shows the provider kit the repository builds', async () => {
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api: apiWith(),
      entity,
    });
    const link = (text: string) => screen.getByText(text).closest('a');
    await screen.findByText('README.md of the deployment repository');
    expect(link('README.md of the deployment repository')).toHaveAttribute(
      'href',
      'https://git.example.com/acme/prod-eu/tree/main/README.md',
    );
    expect(
      link('Open the Azure Database for PostgreSQL console'),
    ).toHaveAttribute('href', expect.stringContaining('portal.azure.com'));
    expect(link('Open the Azure Key Vault console')).toHaveAttribute(
      'href',
      expect.stringContaining('Microsoft.KeyVault'),
    );
    expect(screen.getByText(/No hosted console/)).toBeInTheDocument(); // Kong

    const kit = within(
      screen.getByText('Provider kit').closest('.MuiCard-root') as HTMLElement,
    );
    expect(kit.getByTestId('provider-kit-images')).toHaveTextContent(
      /your deployment repository builds them into its MPS and RPS images \(built FROM intel\/\S+mps:v\S+ and intel\/\S+rps:v\S+, toolkit v[\d.]+\) with one command, scripts\/build-images\.sh/,
    );
    const keyVault = within(kit.getByTestId('provider-kit-azure-key-vault'));
    expect(keyVault.getByText('Kit')).toBeInTheDocument();
    expect(
      keyVault.getByText(/this project's Key Vault provider/),
    ).toBeInTheDocument();
    expect(
      keyVault.getByText(/^Not verified: the Key Vault providers/),
    ).toBeInTheDocument();
    expect(
      kit.queryByText(/custom ISecretManagerService|custom provider/i),
    ).toBeNull();
    expect(
      kit.queryByText('Azure Database for PostgreSQL'),
    ).not.toBeInTheDocument();
  });

  it("on a part's page shows its deployment and charts that part first", async () => {
    const api = apiWith();
    api.history = {
      entityRef: 'system:default/prod-eu',
      from: '',
      to: '',
      buckets: [bucket({ component: 'database' })],
      transitions: [],
    };
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: partEntity('database'),
    });
    expect(await screen.findByTestId('component-row-database')).toHaveAttribute(
      'aria-current',
      'true',
    );
    expect(await screen.findByText('Database: uptime %')).toBeInTheDocument();
  });

  it('shows a history error without hiding the rest', async () => {
    const api = apiWith();
    api.getDeploymentHistory = async () => {
      throw new Error('history store unavailable');
    };
    await renderWithApis(<EntityOpenAmtDeploymentContent />, { api, entity });
    expect(
      await screen.findByText(/Could not load the history/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('component-row-mps')).toBeInTheDocument();
  });
});
