import { screen, within } from '@testing-library/react';
import { EntityOpenAmtDeploymentContent } from './EntityOpenAmtDeploymentContent';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import {
  deploymentHealth,
  isoAgo,
  systemEntity,
} from '../../__testUtils__/fixtures';

const DAY = 86_400_000;

function apiWith(
  details: Record<string, unknown>,
  message = 'certificates',
  checkedAt = isoAgo(20),
) {
  const health = deploymentHealth({
    checkedAt,
    statuses: { certificates: 'down' },
    details: { certificates: details },
  });
  const row = health.components.find(c => c.component === 'certificates')!;
  row.message = message;
  const api = new FakeOpenAmtApi();
  api.setHealth(health);
  return api;
}

/**
 * A finding as the backend reports it: whole days left, the expiry half a day past them. Its own status is left
 * 'healthy' throughout: the panel judges from days left and expiry, so a wrong judgement cannot hide behind it.
 */
const finding = (
  readAt: number,
  name: string,
  daysLeft: number,
  extra: Record<string, unknown> = {},
) => ({
  kind: 'provisioning',
  name,
  expiresAt: new Date(readAt + daysLeft * DAY + DAY / 2).toISOString(),
  daysLeft,
  status: 'healthy',
  ...extra,
});

const rows = () =>
  within(screen.getByTestId('certificates-panel')).getAllByTestId(
    'certificate-row',
  );

describe('Certificates panel', () => {
  it('lists every certificate, the most urgent first, with its status', async () => {
    const checkedAt = isoAgo(20);
    const readAt = Date.parse(checkedAt);
    const api = apiWith(
      {
        renewDays: 30,
        certificates: [
          finding(readAt, 'vpro-31', 31, { domainSuffix: 'amt.example.com' }),
          finding(readAt, 'mps.example.com', 30, { kind: 'cira' }),
          // Expired a day and a half before the read: floor(-1.5) = -2 days left.
          {
            ...finding(readAt, 'vpro-old', -2),
            expiresAt: new Date(readAt - 1.5 * DAY).toISOString(),
          },
          finding(readAt, 'vpro-later', 400),
        ],
      },
      'certificates',
      checkedAt,
    );
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    await screen.findByTestId('certificates-panel');

    const [expired, thirty, thirtyOne, later] = rows();
    expect(rows()).toHaveLength(4);
    expect(expired).toHaveTextContent('Expired');
    expect(expired).toHaveTextContent('vpro-old');
    expect(expired).toHaveTextContent(/expired$/);
    expect(thirty).toHaveTextContent('Renew');
    expect(thirty).toHaveTextContent('CIRA (MPS server)');
    expect(thirty).toHaveTextContent('mps.example.com');
    expect(thirty).toHaveTextContent(/30$/);
    expect(thirtyOne).toHaveTextContent('Valid');
    expect(thirtyOne).toHaveTextContent(
      'Provisioning (ACM domain)vpro-31amt.example.com',
    );
    expect(thirtyOne).toHaveTextContent(
      new Date(readAt + 31.5 * DAY).toISOString().slice(0, 10),
    );
    expect(later).toHaveTextContent('Valid');
    expect(later).toHaveTextContent('vpro-later');
  });

  it("shows the certificates row's message when nothing was read", async () => {
    const message =
      'Provisioning certificates not read: RPS http://rps:8081 needs a token.';
    const api = apiWith({ certificates: [], renewDays: 30 }, message);
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    expect(await screen.findByTestId('certificates-empty')).toHaveTextContent(
      message,
    );
    expect(screen.queryByTestId('certificate-row')).toBeNull();
  });
});
