import {
  configure,
  screen,
  waitFor,
  within,
  fireEvent,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenAmtFleetPage } from './OpenAmtFleetPage';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { deploymentSummary } from '../../__testUtils__/fixtures';

function fleetApi() {
  const api = new FakeOpenAmtApi();
  api.fleet = [
    deploymentSummary('alpha', 'healthy'),
    deploymentSummary('bravo', 'down', {
      owner: 'group:default/factory',
      target: 'aks',
      providers: {
        database: 'azure-sql',
        secrets: 'azure-key-vault',
        gateway: 'azure-apim',
      },
      componentCounts: { healthy: 8, degraded: 0, down: 2, unknown: 0 },
    }),
    deploymentSummary('charlie', 'degraded', {
      simulated: true,
      target: 'eks',
    }),
  ];
  return api;
}

const lastQuery = (api: FakeOpenAmtApi) =>
  api.calls.list[api.calls.list.length - 1];
const rowNames = () =>
  screen
    .queryAllByText(/^Deployment (alpha|bravo|charlie|d\d+)$/)
    .map(e => e.textContent);

// material-table re-renders the whole table per request; jsdom makes that slow.
jest.setTimeout(60_000);
configure({ asyncUtilTimeout: 5_000 });

describe('OpenAmtFleetPage', () => {
  it('says so when the fleet is empty', async () => {
    await renderWithApis(<OpenAmtFleetPage />, { api: new FakeOpenAmtApi() });
    expect(
      await screen.findByText('No Open AMT deployments match.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('fleet-count-healthy')).toHaveTextContent(
      'Healthy: 0',
    );
  });

  it('lists every deployment with status, counts, a link to the entity and the simulated mark', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    expect(await screen.findByText('Deployment bravo')).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'Deployment alpha',
      'Deployment bravo',
      'Deployment charlie',
    ]);
    expect(screen.getByText('Deployment bravo').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/system/bravo',
    );
    const bravoRow = screen
      .getByText('Deployment bravo')
      .closest('tr') as HTMLElement;
    expect(within(bravoRow).getByText('Down')).toBeInTheDocument();
    expect(
      within(bravoRow).getByText('8/10 components healthy'),
    ).toBeInTheDocument();
    expect(
      within(bravoRow).getByText(
        /Azure SQL Database · Azure Key Vault · Azure API Management/,
      ),
    ).toBeInTheDocument();
    expect(
      within(bravoRow).getByText('Azure Kubernetes Service (AKS)'),
    ).toBeInTheDocument();
    const charlieRow = screen
      .getByText('Deployment charlie')
      .closest('tr') as HTMLElement;
    expect(within(charlieRow).getByText('simulated')).toBeInTheDocument();
    expect(screen.getByTestId('fleet-count-down')).toHaveTextContent('Down: 1');
    expect(screen.getByTestId('fleet-count-degraded')).toHaveTextContent(
      'Degraded: 1',
    );
    expect(lastQuery(api)).toMatchObject({ page: 1, pageSize: 20 });
  });

  it('filters by status from the counts, on the backend', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    await userEvent.click(screen.getByTestId('fleet-count-down'));
    await waitFor(() => expect(rowNames()).toEqual(['Deployment bravo']));
    expect(lastQuery(api).status).toEqual(['down']);
    expect(screen.getByTestId('fleet-count-down')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('searches by name or title', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    fireEvent.change(screen.getByTestId('fleet-search'), {
      target: { value: 'char' },
    });
    await waitFor(() => expect(rowNames()).toEqual(['Deployment charlie']));
    expect(lastQuery(api).q).toBe('char');
  });

  it('filters by provider', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    fireEvent.mouseDown(
      within(screen.getByTestId('fleet-filter-provider')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByText('Azure SQL Database', { selector: 'li *' }),
    );
    await waitFor(() => expect(rowNames()).toEqual(['Deployment bravo']));
    expect(lastQuery(api).provider).toEqual(['azure-sql']);
  });

  it('filters by target', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    fireEvent.mouseDown(
      within(screen.getByTestId('fleet-filter-target')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByText('Amazon Elastic Kubernetes Service (EKS)', {
        selector: 'li *',
      }),
    );
    await waitFor(() => expect(rowNames()).toEqual(['Deployment charlie']));
    expect(lastQuery(api).target).toEqual(['eks']);
  });

  it('filters by owner', async () => {
    const api = fleetApi();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    await userEvent.type(
      screen.getByLabelText('Owner'),
      'group:default/factory{Enter}',
    );
    await waitFor(() => expect(rowNames()).toEqual(['Deployment bravo']));
    expect(lastQuery(api).owner).toEqual(['group:default/factory']);
  });

  function manyDeployments() {
    const api = new FakeOpenAmtApi();
    api.fleet = Array.from({ length: 25 }, (_, i) =>
      deploymentSummary(`d${String(i).padStart(2, '0')}`, 'healthy'),
    );
    return api;
  }

  it('pages on the backend', async () => {
    const api = manyDeployments();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    expect(await screen.findByText('Deployment d00')).toBeInTheDocument();
    expect(rowNames()).toHaveLength(20);
    expect(screen.getByText('Deployments (25)')).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText('Next Page'));
    await waitFor(() =>
      expect(rowNames()).toEqual([
        'Deployment d20',
        'Deployment d21',
        'Deployment d22',
        'Deployment d23',
        'Deployment d24',
      ]),
    );
    expect(lastQuery(api)).toMatchObject({ page: 2, pageSize: 20 });
  });

  it('sorts on the backend', async () => {
    const api = manyDeployments();
    await renderWithApis(<OpenAmtFleetPage />, { api });
    expect(await screen.findByText('Deployment d00')).toBeInTheDocument();
    const header = () => screen.getByText('Deployment', { selector: 'th *' });
    await userEvent.click(header());
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ sort: 'name', order: 'asc' }),
    );
    await userEvent.click(header());
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ sort: 'name', order: 'desc' }),
    );
    await waitFor(() => expect(rowNames()[0]).toBe('Deployment d24'));
  });

  it('shows a failed request in a response error panel', async () => {
    const api = fleetApi();
    api.failWith = new Error('catalog unavailable');
    await renderWithApis(<OpenAmtFleetPage />, { api });
    expect(
      await screen.findByText(/Could not load deployments/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/catalog unavailable/).length).toBeGreaterThan(
      0,
    );
  });

  it('shows each release with a Behind chip, and sends the drift filters to the backend with its counts', async () => {
    const api = fleetApi();
    api.fleet[1] = {
      ...api.fleet[1],
      drift: {
        release: 'v2.26.0',
        latestRelease: 'v2.37.0',
        behind: true,
        driftedCount: 2,
      },
    };
    await renderWithApis(<OpenAmtFleetPage />, { api });
    const bravoRow = (await screen.findByText('Deployment bravo')).closest(
      'tr',
    ) as HTMLElement;
    expect(
      within(bravoRow).getByText('Release v2.26.0 — behind v2.37.0'),
    ).toBeInTheDocument();
    expect(
      within(bravoRow).getByLabelText('Behind the newest release v2.37.0'),
    ).toBeInTheDocument();
    expect(within(bravoRow).getByText('Drifted: 2')).toBeInTheDocument();
    const alphaRow = screen
      .getByText('Deployment alpha')
      .closest('tr') as HTMLElement;
    expect(within(alphaRow).queryByText('Behind')).toBeNull();

    const behind = screen.getByTestId('fleet-drift-behind');
    expect(behind).toHaveTextContent('Behind newest release: 1');
    expect(screen.getByTestId('fleet-drift-drifted')).toHaveTextContent(
      'Drifted: 1',
    );
    await userEvent.click(behind);
    await waitFor(() => expect(lastQuery(api).drift).toEqual(['behind']));
    await waitFor(() => expect(rowNames()).toEqual(['Deployment bravo']));
    expect(behind).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows devices connected with a warning while they dropped, and sends the attention filters to the backend with their counts', async () => {
    const api = fleetApi();
    api.fleet[0] = {
      ...api.fleet[0],
      devices: { connected: 38, total: 40, dropped: false },
      certificates: { soonestDaysLeft: 12, expiring: true },
    };
    api.fleet[1] = {
      ...api.fleet[1],
      devices: { connected: 10, total: 40, dropped: true },
      certificates: { soonestDaysLeft: 31, expiring: false },
    };
    await renderWithApis(<OpenAmtFleetPage />, { api });
    const row = async (name: string) =>
      (await screen.findByText(`Deployment ${name}`)).closest(
        'tr',
      ) as HTMLElement;
    const alphaRow = await row('alpha');
    expect(within(alphaRow).getByText('38/40 connected')).toBeInTheDocument();
    expect(within(alphaRow).queryByText('Devices dropped')).toBeNull();
    expect(within(alphaRow).queryByTestId('status-warning')).toBeNull();
    const bravoRow = await row('bravo');
    const bravoDevices = within(bravoRow).getByText('10/40 connected');
    expect(within(bravoRow).getByText('Devices dropped')).toBeInTheDocument();
    expect(
      within(bravoDevices).getByTestId('status-warning'),
    ).toBeInTheDocument();

    const expiring = screen.getByTestId(
      'fleet-attention-certificates-expiring',
    );
    const dropped = screen.getByTestId('fleet-attention-devices-dropped');
    expect(expiring).toHaveTextContent('Certificates expiring: 1');
    expect(dropped).toHaveTextContent('Devices dropped: 1');
    await userEvent.click(expiring);
    await waitFor(() =>
      expect(lastQuery(api).attention).toEqual(['certificates-expiring']),
    );
    await waitFor(() => expect(rowNames()).toEqual(['Deployment alpha']));
    expect(expiring).toHaveAttribute('aria-pressed', 'true');
    // Counted over the fleet without the attention filter: the other count stays.
    expect(dropped).toHaveTextContent('Devices dropped: 1');
    expect(dropped).toHaveAttribute('aria-pressed', 'false');

    await userEvent.click(dropped);
    await waitFor(() =>
      expect(lastQuery(api).attention).toEqual([
        'certificates-expiring',
        'devices-dropped',
      ]),
    );
    await waitFor(() =>
      expect(rowNames()).toEqual(['Deployment alpha', 'Deployment bravo']),
    );
  });

  it('sorts by connected devices on the backend', async () => {
    const api = fleetApi();
    api.fleet[0] = {
      ...api.fleet[0],
      devices: { connected: 38, total: 40, dropped: false },
    };
    api.fleet[1] = {
      ...api.fleet[1],
      devices: { connected: 10, total: 40, dropped: true },
    };
    await renderWithApis(<OpenAmtFleetPage />, { api });
    await screen.findByText('Deployment alpha');
    await userEvent.click(screen.getByText('Devices', { selector: 'th *' }));
    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject({ sort: 'devices', order: 'asc' }),
    );
    await waitFor(() =>
      expect(rowNames()).toEqual([
        'Deployment bravo',
        'Deployment alpha',
        'Deployment charlie',
      ]),
    );
  });
});
