import { screen, waitFor, within, act } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  computeDeploymentDrift,
  DeploymentHealth,
  LATEST_TOOLKIT_RELEASE,
  OPEN_AMT_SIGNAL_CHANNEL,
  UNANNOTATED_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';
import { EntityOpenAmtHealthCard } from './EntityOpenAmtHealthCard';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import {
  deploymentHealth,
  isoAgo,
  partEntity,
  plainEntity,
  systemEntity,
} from '../../__testUtils__/fixtures';

function setup(health = deploymentHealth()) {
  const api = new FakeOpenAmtApi();
  api.setHealth(health);
  return api;
}

const summary = () => within(screen.getByTestId('deployment-summary'));
const row = (component: string) =>
  within(screen.getByTestId(`component-row-${component}`));

describe('EntityOpenAmtHealthCard', () => {
  it('shows a visible loading state with placeholder rows before the health arrives, then the rows', async () => {
    const api = setup();
    let answer: (h: DeploymentHealth) => void = () => {};
    api.getDeploymentHealth = () =>
      new Promise<DeploymentHealth>(resolve => {
        answer = resolve;
      });
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    // At once, not after Progress's delay: the card is never an empty box.
    expect(screen.getByText(/Loading the health of deployment/)).toBeVisible();
    const loading = screen.getByTestId('health-card-loading');
    expect(
      loading.querySelectorAll('.MuiSkeleton-root').length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('deployment-summary')).toBeNull();
    expect(
      await screen.findByRole('progressbar', {
        name: "Loading the deployment's health",
      }),
    ).toBeVisible();

    await act(async () => answer(deploymentHealth()));
    expect(await screen.findByTestId('deployment-summary')).toBeVisible();
    expect(screen.queryByTestId('health-card-loading')).toBeNull();
  });

  it('shows the release, "Behind" while a newer release is supported, and how many items drifted', async () => {
    const behind = deploymentHealth({
      details: { gateway: { drift: { missing: ['rps-api'] } } },
    });
    behind.drift = computeDeploymentDrift({ components: behind.components });
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api: setup(behind),
      entity: systemEntity(),
    });
    const line = within(await screen.findByTestId('release-drift'));
    expect(
      line.getByText(
        `Release ${UNANNOTATED_TOOLKIT_RELEASE.id} — behind ${LATEST_TOOLKIT_RELEASE.id}`,
      ),
    ).toBeInTheDocument();
    expect(
      line.getByLabelText(
        `Behind the newest release ${LATEST_TOOLKIT_RELEASE.id}`,
      ),
    ).toBeInTheDocument();
    expect(line.getByText('Drifted: 1')).toBeInTheDocument();
  });

  it('shows no "Behind" chip for a deployment on the newest release', async () => {
    const current = deploymentHealth();
    current.drift = computeDeploymentDrift({
      annotatedRelease: LATEST_TOOLKIT_RELEASE.id,
      components: current.components,
    });
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api: setup(current),
      entity: systemEntity(),
    });
    const line = within(await screen.findByTestId('release-drift'));
    expect(
      line.getByText(`Release ${LATEST_TOOLKIT_RELEASE.id}`),
    ).toBeInTheDocument();
    expect(line.queryByText('Behind')).toBeNull();
    expect(line.queryByText(/Drifted/)).toBeNull();
  });

  it('shows the backend error in a response error panel', async () => {
    const api = setup();
    api.failWith = new Error('health store unavailable');
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(
      await screen.findByText(/Could not load the deployment's health/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/health store unavailable/).length,
    ).toBeGreaterThan(0);
  });

  it('explains the missing annotation on entities that are not deployments', async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: plainEntity,
    });
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/open-amt\.io\/deployment/).length,
    ).toBeGreaterThan(0);
    expect(api.calls.health).toHaveLength(0);
  });

  it('shows a healthy deployment with one row per component, provider and support level', async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    for (const c of [
      'mps',
      'rps',
      'mpsrouter',
      'webui',
      'database',
      'secrets',
      'gateway',
      'cira',
      'devices',
      'certificates',
    ]) {
      expect(row(c).getByText('Healthy')).toBeInTheDocument();
    }
    expect(row('devices').getByText('Devices')).toBeInTheDocument();
    expect(row('certificates').getByText('Certificates')).toBeInTheDocument();
    expect(row('mpsrouter').getByText('MPS Router')).toBeInTheDocument();
    expect(row('cira').getByText('CIRA endpoint')).toBeInTheDocument();
    expect(row('cira').getByText('Open AMT service')).toBeInTheDocument();
    expect(
      row('database').getByText('Azure Database for PostgreSQL'),
    ).toBeInTheDocument();
    expect(row('database').getByText('Native')).toBeInTheDocument();
    expect(row('secrets').getByText('Azure Key Vault')).toBeInTheDocument();
    expect(row('secrets').getByText('Kit')).toBeInTheDocument();
    // How far the kit's Key Vault provider is verified, on its row only.
    expect(
      row('secrets').getByTestId('component-not-verified-secrets'),
    ).toHaveTextContent(
      /Not verified: the Key Vault providers against Azure itself/,
    );
    expect(
      row('database').queryByTestId('component-not-verified-database'),
    ).toBeNull();
    expect(
      row('gateway').getByText('Kong (DB-less, declarative 3.0)'),
    ).toBeInTheDocument();
    expect(row('mps').getByText('10 ms')).toBeInTheDocument();
    expect(row('mps').getByText('mps is healthy')).toBeInTheDocument();
    expect(row('mps').getByText(/^\d+ seconds ago$/)).toBeInTheDocument();
    expect(api.calls.health[0]).toEqual({
      namespace: 'default',
      name: 'prod-eu',
    });
  });

  it('tells degraded from down by icon and text, not colour', async () => {
    const api = setup(
      deploymentHealth({ statuses: { webui: 'down', rps: 'degraded' } }),
    );
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Degraded')).toBeInTheDocument();
    expect(summary().getByTestId('status-warning')).toBeInTheDocument();
    expect(row('webui').getByText('Down')).toBeInTheDocument();
    expect(row('webui').getByTestId('status-error')).toBeInTheDocument();
    expect(row('webui').getByText('—')).toBeInTheDocument(); // no latency when nothing answered
    expect(row('rps').getByText('Degraded')).toBeInTheDocument();
  });

  it('shows a deployment as down when a critical component is down', async () => {
    const api = setup(deploymentHealth({ statuses: { database: 'down' } }));
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Down')).toBeInTheDocument();
    expect(summary().getByTestId('status-error')).toBeInTheDocument();
  });

  it('shows a deployment as down when devices cannot reach its CIRA endpoint', async () => {
    const health = deploymentHealth({ statuses: { cira: 'down' } });
    health.components = health.components.map(c =>
      c.component === 'cira'
        ? {
            ...c,
            message:
              'CIRA endpoint mps.example.com:4433 presents a certificate for amt.example.com, which does not cover mps.example.com: the gateway may be terminating TLS instead of passing port 4433 through to MPS.',
          }
        : c,
    );
    const api = setup(health);
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Down')).toBeInTheDocument();
    expect(row('cira').getByText('Down')).toBeInTheDocument();
    expect(
      row('cira').getByText(/gateway may be terminating TLS/),
    ).toBeInTheDocument();
  });

  it('shows unknown components and deployments as pending', async () => {
    const health = deploymentHealth({ statuses: { gateway: 'unknown' } });
    health.components = health.components.filter(c => c.component !== 'mps');
    const api = setup(health);
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Unknown')).toBeInTheDocument();
    expect(row('gateway').getByText('Unknown')).toBeInTheDocument();
    expect(
      row('mps').getByText('Not reported by the health engine.'),
    ).toBeInTheDocument();
  });

  it('says when the deployment has not been probed yet', async () => {
    const api = new FakeOpenAmtApi();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await screen.findByText('Not checked yet')).toBeInTheDocument();
    expect(
      screen.getByText(/has not probed deployment prod-eu yet/),
    ).toBeInTheDocument();
  });

  it('flags data older than three probe intervals as stale', async () => {
    const api = setup(deploymentHealth({ checkedAt: isoAgo(10 * 60) }));
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
      config: { openAmt: { frontend: { probeIntervalSeconds: 60 } } },
    });
    expect(await screen.findByTestId('stale-notice')).toHaveTextContent(
      /Stale data: last checked 10 minutes ago/,
    );
  });

  it('does not flag recent data, and trusts the interval the backend reports', async () => {
    const api = setup(
      deploymentHealth({ checkedAt: isoAgo(10 * 60), intervalSeconds: 300 }),
    );
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    expect(screen.queryByTestId('stale-notice')).not.toBeInTheDocument();
  });

  it('refreshes from the keyboard and shows the new state', async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();

    api.setHealth(deploymentHealth({ statuses: { gateway: 'down' } }));
    const button = await screen.findByRole('button', {
      name: /check deployment health now/i,
    });
    // Tab until the button has focus: it must be reachable without a mouse.
    for (let i = 0; i < 20 && document.activeElement !== button; i++) {
      await userEvent.tab();
    }
    expect(button).toHaveFocus();
    await userEvent.keyboard('{Enter}');

    expect(await summary().findByText('Down')).toBeInTheDocument();
    expect(api.calls.refresh).toEqual([
      { namespace: 'default', name: 'prod-eu' },
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('Checked just now.');
  });

  it('says when a refresh was rate-limited', async () => {
    const api = setup();
    api.refreshOutcome = {
      accepted: false,
      rateLimited: true,
      retryAfterSeconds: 42,
    };
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: /check deployment health now/i,
      }),
    );
    expect(
      await screen.findByText('Checked recently; try again in 42 s.'),
    ).toBeInTheDocument();
  });

  it("shows the deployment's card on a part's page, marking that part", async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: partEntity('gateway'),
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    expect(screen.getByTestId('component-row-gateway')).toHaveAttribute(
      'aria-current',
      'true',
    );
    expect(row('gateway').getByText(/this entity/)).toBeInTheDocument();
    expect(screen.getByTestId('component-row-mps')).not.toHaveAttribute(
      'aria-current',
    );
    expect(api.calls.health[0]).toEqual({
      namespace: 'default',
      name: 'prod-eu',
    });
  });

  it('marks simulated deployments', async () => {
    const api = setup(deploymentHealth({ simulated: true }));
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(await summary().findByText('simulated')).toBeInTheDocument();
  });

  /** The card for prod-eu with a signals API the test publishes on; resolves once the healthy state shows. */
  async function renderWithSignals() {
    const api = setup();
    const signals = new FakeSignalApi();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
      signals,
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    return { api, signals };
  }
  const mpsDownHere = {
    entityRef: 'system:default/prod-eu',
    status: 'down',
    changed: [{ component: 'mps', from: 'healthy', to: 'down' }],
  };
  const otherDeployment = {
    entityRef: 'system:default/other',
    status: 'down',
    changed: [],
  };

  it("re-reads on a signal for this deployment and ignores other deployments' signals", async () => {
    const { api, signals } = await renderWithSignals();
    const reads = api.calls.health.length;

    api.setHealth(deploymentHealth({ statuses: { mps: 'down' } }));
    act(() => signals.publish(OPEN_AMT_SIGNAL_CHANNEL, otherDeployment));
    await new Promise(r => setTimeout(r, 50));
    expect(api.calls.health.length).toBe(reads);
    expect(summary().getByText('Healthy')).toBeInTheDocument();

    act(() => signals.publish(OPEN_AMT_SIGNAL_CHANNEL, mpsDownHere));
    expect(await summary().findByText('Down')).toBeInTheDocument();
  });

  it("re-reads when its signal arrives in the same tick as other deployments' (one sweep, many signals)", async () => {
    const { api, signals } = await renderWithSignals();

    api.setHealth(deploymentHealth({ statuses: { mps: 'down' } }));
    // This deployment's signal first, another deployment's right after: both in one act, as React batches them.
    act(() => {
      signals.publish(OPEN_AMT_SIGNAL_CHANNEL, mpsDownHere);
      signals.publish(OPEN_AMT_SIGNAL_CHANNEL, otherDeployment);
    });
    expect(await summary().findByText('Down')).toBeInTheDocument();
  });

  it('polls at the configured interval when signals are not available', async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
      config: { openAmt: { frontend: { pollIntervalSeconds: 0.2 } } },
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    api.setHealth(deploymentHealth({ statuses: { secrets: 'down' } }));
    await waitFor(
      () => expect(summary().getByText('Down')).toBeInTheDocument(),
      { timeout: 2000 },
    );
  });

  it('does not poll at the short interval while signals deliver updates', async () => {
    const api = setup();
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
      signals: new FakeSignalApi(),
      config: { openAmt: { frontend: { pollIntervalSeconds: 0.1 } } },
    });
    expect(await summary().findByText('Healthy')).toBeInTheDocument();
    const reads = api.calls.health.length;
    await new Promise(r => setTimeout(r, 500));
    expect(api.calls.health.length).toBe(reads);
  });

  it("shows the deployment's toolkit release and each service's version next to the one the release expects", async () => {
    const api = setup(
      deploymentHealth({
        statuses: { mps: 'degraded' },
        details: {
          mps: {
            version: '2.13.21',
            expectedVersion: '2.34.1',
            toolkitRelease: 'v2.37.0',
          },
          rps: {
            version: '2.39.4',
            expectedVersion: '2.39.4',
            toolkitRelease: 'v2.37.0',
          },
        },
      }),
    );
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity({
        annotations: { 'open-amt.io/toolkit-release': 'v2.37.0' },
      }),
    });
    const release = await screen.findByTestId('toolkit-release');
    expect(release).toHaveTextContent('toolkit v2.37.0');
    expect(release).toHaveAttribute(
      'title',
      'v2.37.0 (2026-08): mps 2.34.1, rps 2.39.4, mps-router 2.5.13, web UI 3.61.1',
    );
    expect(row('mps').getByTestId('component-version-mps')).toHaveTextContent(
      'v2.13.21 (release expects v2.34.1)',
    );
    expect(row('rps').getByTestId('component-version-rps')).toHaveTextContent(
      'v2.39.4 (release expects v2.39.4)',
    );
  });

  it('treats a deployment without the annotation as v2.26.0', async () => {
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api: setup(),
      entity: systemEntity(),
    });
    expect(await screen.findByTestId('toolkit-release')).toHaveTextContent(
      'toolkit v2.26.0',
    );
  });

  it('says on the component row when its provider cannot fully work (a vendor limitation), and not otherwise', async () => {
    const health = deploymentHealth();
    const gateway = health.components.find(c => c.component === 'gateway')!;
    gateway.provider = 'google-cloud-endpoints';
    const api = setup(health);
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(
      await row('gateway').findByTestId('component-limitation-gateway'),
    ).toHaveTextContent(/Not production-ready: .*ESPv2 verifies only JWTs/);
    expect(
      row('database').queryByTestId('component-limitation-database'),
    ).toBeNull();
  });

  it('says on the component row what of its provider is not verified, and not otherwise', async () => {
    const health = deploymentHealth();
    const gateway = health.components.find(c => c.component === 'gateway')!;
    gateway.provider = 'aws-api-gateway';
    const api = setup(health);
    await renderWithApis(<EntityOpenAmtHealthCard />, {
      api,
      entity: systemEntity(),
    });
    expect(
      await row('gateway').findByTestId('component-not-verified-gateway'),
    ).toHaveTextContent(/Not verified: Modelled from AWS documentation only/);
    expect(
      row('database').queryByTestId('component-not-verified-database'),
    ).toBeNull();
  });
});
