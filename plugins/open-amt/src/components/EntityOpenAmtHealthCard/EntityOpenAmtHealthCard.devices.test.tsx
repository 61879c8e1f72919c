import { screen } from '@testing-library/react';
import { EntityOpenAmtHealthCard } from './EntityOpenAmtHealthCard';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import {
  deploymentHealth,
  isoAgo,
  systemEntity,
} from '../../__testUtils__/fixtures';

async function renderCard(
  devices: Record<string, unknown>,
  status: 'healthy' | 'degraded' | 'unknown' = 'healthy',
) {
  const api = new FakeOpenAmtApi();
  api.setHealth(
    deploymentHealth({
      statuses: { devices: status },
      details: { devices },
    }),
  );
  await renderWithApis(<EntityOpenAmtHealthCard />, {
    api,
    entity: systemEntity(),
  });
  await screen.findByTestId('deployment-summary');
}

describe('EntityOpenAmtHealthCard devices line', () => {
  it('says how many devices are connected', async () => {
    await renderCard({ connectedCount: 38, totalCount: 40 });
    expect(screen.getByTestId('devices-line')).toHaveTextContent(
      /^38 of 40 devices connected$/,
    );
  });

  it('warns while a device-drop alert is active', async () => {
    await renderCard(
      {
        connectedCount: 30,
        totalCount: 40,
        dropAlert: { since: isoAgo(600), baseline: 40, recoverAt: 38 },
      },
      'degraded',
    );
    expect(screen.getByTestId('devices-line')).toHaveTextContent(
      /^30 of 40 devices connected: dropped from 40 since 10 minutes ago/,
    );
  });

  it('shows no line when MPS was not counted', async () => {
    await renderCard({ httpStatus: 401 }, 'unknown');
    expect(screen.queryByTestId('devices-line')).toBeNull();
  });
});
