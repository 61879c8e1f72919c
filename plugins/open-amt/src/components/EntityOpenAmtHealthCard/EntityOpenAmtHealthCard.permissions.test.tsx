import { screen, waitFor, within } from '@testing-library/react';
import { EntityOpenAmtHealthCard } from './EntityOpenAmtHealthCard';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { deploymentHealth, systemEntity } from '../../__testUtils__/fixtures';

// A file of its own: usePermission caches answers per permission (SWR) for the whole module registry,
// so an ALLOW from another test would leak into this one.
describe('EntityOpenAmtHealthCard without the refresh permission', () => {
  it('shows the health but no refresh action', async () => {
    const api = new FakeOpenAmtApi();
    api.setHealth(deploymentHealth());
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
      canRefresh: false,
    });
    expect(
      await within(screen.getByTestId('deployment-summary')).findByText(
        'Healthy',
      ),
    ).toBeInTheDocument();
    // Give the permission answer time to arrive before asserting the button stays away.
    await waitFor(() =>
      expect(screen.getByTestId('component-row-gateway')).toBeInTheDocument(),
    );
    await new Promise(r => setTimeout(r, 100));
    expect(
      screen.queryByRole('button', { name: /check deployment health now/i }),
    ).not.toBeInTheDocument();
    expect(api.calls.refresh).toHaveLength(0);
  });
});
