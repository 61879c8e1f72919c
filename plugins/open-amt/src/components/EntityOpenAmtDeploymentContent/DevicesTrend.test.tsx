import { screen, within } from '@testing-library/react';
import { HistoryBucket } from '@open-amt-backstage/plugin-open-amt-common';
import { EntityOpenAmtDeploymentContent } from './EntityOpenAmtDeploymentContent';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { deploymentHealth, systemEntity } from '../../__testUtils__/fixtures';

const HOUR = 3_600_000;

const devicesBucket = (
  hoursAgo: number,
  connectedCount: number,
  totalCount: number,
): HistoryBucket => ({
  component: 'devices',
  start: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
  bucketSeconds: 300,
  samples: 5,
  uptime: 1,
  gauges: { connectedCount, totalCount },
});

function apiWith(
  devicesDetails: Record<string, unknown> | undefined,
  buckets: HistoryBucket[],
  devicesStatus: 'healthy' | 'degraded' | 'unknown' = 'healthy',
) {
  const health = deploymentHealth({
    statuses: { devices: devicesStatus },
    details: devicesDetails ? { devices: devicesDetails } : {},
  });
  const api = new FakeOpenAmtApi();
  api.setHealth(health);
  api.history = {
    entityRef: 'system:default/prod-eu',
    from: '',
    to: '',
    buckets,
    transitions: [],
  };
  return { api, health };
}

/** The points of one line of the chart, from its SVG path ("M x,y L x,y …"). */
function linePoints(trend: HTMLElement, line: string) {
  const path = trend.querySelector(`.${line} path.recharts-line-curve`);
  const d = path?.getAttribute('d') ?? '';
  return [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map(m => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }));
}

describe('Devices trend', () => {
  // jsdom lays nothing out; give the chart container a size so recharts draws it as a browser would.
  beforeEach(() => {
    const real = HTMLElement.prototype.getBoundingClientRect;
    jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockImplementation(function size(this: HTMLElement) {
        return this.classList.contains('recharts-responsive-container')
          ? ({ width: 600, height: 220, top: 0, left: 0 } as DOMRect)
          : real.call(this);
      });
  });
  afterEach(() => jest.restoreAllMocks());

  it('draws connected and total devices from the devices buckets gauges, oldest first', async () => {
    const { api } = apiWith({ connectedCount: 38, totalCount: 40 }, [
      devicesBucket(1, 38, 40),
      devicesBucket(3, 40, 40),
      devicesBucket(2, 30, 40),
      // Another component's bucket and a bucket without counts are not device points.
      { ...devicesBucket(2.5, 1, 1), component: 'mps' },
      { ...devicesBucket(1.5, 0, 0), gauges: undefined },
    ]);
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    const trend = await screen.findByTestId('devices-trend');
    expect(
      within(trend).getByTestId('devices-trend-summary'),
    ).toHaveTextContent(
      'Latest: 38 of 40 connected; fewest connected in this range: 30.',
    );

    const connected = linePoints(trend, 'devices-connected-line');
    const total = linePoints(trend, 'devices-total-line');
    expect(connected).toHaveLength(3);
    expect(total).toHaveLength(3);
    // Left to right in time: 40, 30, 38 connected (SVG y grows downwards).
    expect(connected[0].x).toBeLessThan(connected[1].x);
    expect(connected[1].y).toBeGreaterThan(connected[2].y);
    expect(connected[2].y).toBeGreaterThan(connected[0].y);
    // 40 connected of 40 at first: the lines meet; later the connected line runs below the total.
    expect(connected[0].y).toBeCloseTo(total[0].y);
    expect(connected[1].y).toBeGreaterThan(total[1].y);
    expect(within(trend).queryByTestId('devices-drop-alert')).toBeNull();
    expect(trend.querySelector('.recharts-reference-line')).toBeNull();
  });

  it('marks an active drop alert: since when, the baseline and the recovery mark', async () => {
    const since = new Date(Date.now() - 2.5 * HOUR).toISOString();
    const { api } = apiWith(
      {
        connectedCount: 30,
        totalCount: 40,
        disconnectedCount: 10,
        dropAlert: { since, baseline: 40, recoverAt: 38 },
      },
      [
        devicesBucket(3, 40, 40),
        devicesBucket(2, 30, 40),
        devicesBucket(1, 30, 40),
      ],
      'degraded',
    );
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    const trend = await screen.findByTestId('devices-trend');
    const notice = within(trend).getByTestId('devices-drop-alert');
    expect(notice).toHaveTextContent(/Connected devices dropped since .+ UTC/);
    expect(notice).toHaveTextContent(
      '(now 30 of 40): the baseline was 40; the alert clears at 38 connected.',
    );
    expect(within(trend).getByText('recovers at 38')).toBeInTheDocument();
    expect(within(trend).getByText('baseline 40')).toBeInTheDocument();
    // Baseline level with the 40 connected at first, the recovery mark between 40 and 30, the start of the drop
    // between the first and second bucket.
    const connected = linePoints(trend, 'devices-connected-line');
    const at = (line: string, attr: string) =>
      Number(trend.querySelector(`.${line} line`)?.getAttribute(attr));
    expect(at('devices-baseline-line', 'y1')).toBeCloseTo(connected[0].y);
    expect(at('devices-recover-line', 'y1')).toBeGreaterThan(connected[0].y);
    expect(at('devices-recover-line', 'y1')).toBeLessThan(connected[1].y);
    expect(at('devices-since-line', 'x1')).toBeGreaterThan(connected[0].x);
    expect(at('devices-since-line', 'x1')).toBeLessThan(connected[1].x);
  });

  it("says why there is no trend: the devices row's message when MPS was not counted", async () => {
    const { api, health } = apiWith({ httpStatus: 401 }, [], 'unknown');
    const devices = health.components.find(c => c.component === 'devices')!;
    devices.message =
      'Devices not counted: MPS http://mps:3000 needs a token (the open-amt.io/mps-url annotation).';
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    const trend = await screen.findByTestId('devices-trend');
    expect(within(trend).getByTestId('devices-trend-empty')).toHaveTextContent(
      devices.message,
    );
    expect(trend.querySelector('.recharts-line')).toBeNull();
  });

  it('says MPS has not counted its devices yet when the deployment has no devices row', async () => {
    const { api, health } = apiWith(undefined, []);
    health.components = health.components.filter(
      c => c.component !== 'devices',
    );
    await renderWithApis(<EntityOpenAmtDeploymentContent />, {
      api,
      entity: systemEntity(),
    });
    expect(await screen.findByTestId('devices-trend-empty')).toHaveTextContent(
      'MPS has not counted its devices yet.',
    );
  });
});
