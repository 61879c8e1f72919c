/*
 * Issue: a newcomer runs the portal with `npm start` and sees this repository's entities after a guest sign-in.
 */
import { Browser } from 'playwright-core';
import {
  enableOpenAmtPerfMarks,
  launchBrowser,
  screenshot,
  signInAsGuest,
} from './browser';
import { APP_URL, RunningPortal, startPortal } from './portal';

jest.setTimeout(600_000);

let portal: RunningPortal;
let browser: Browser;

beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('signs in as guest and lists the plugin set in the catalog', async () => {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
  });
  try {
    await signInAsGuest(
      page,
      `${APP_URL}/catalog?filters[kind]=component&filters[user]=all`,
    );
    // The table shows each Component's title (catalog-info.yaml): the package folder names.
    await page
      .getByRole('link', { name: 'open-amt-backend', exact: true })
      .first()
      .waitFor({ timeout: 90_000 });
    for (const title of [
      'open-amt-common',
      'open-amt-node',
      'scaffolder-backend-module-open-amt',
      'open-amt',
    ]) {
      await page
        .getByRole('link', { name: title, exact: true })
        .first()
        .waitFor({ timeout: 30_000 });
    }
    // Signed in: the sidebar shows the guest's settings entry, and the page is the catalog, not the sign-in page.
    expect(await page.getByRole('button', { name: /enter/i }).count()).toBe(0);
    expect(page.url()).toContain('/catalog');
    await screenshot(page, '01-catalog');

    // The portal's home is the catalog, opened on Systems: the deployments, the example one among them.
    await page.goto(APP_URL, { timeout: 120_000 });
    await page
      .getByText(/^(All|Owned) Systems \(\d+\)$/)
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('link', { name: 'Open AMT demo (simulated)', exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/catalog');
    // The sidebar reaches the fleet page (the plugin's page brings its nav item and icon).
    const fleetItem = page.getByRole('link', { name: 'Open AMT', exact: true });
    expect(await fleetItem.getAttribute('href')).toBe('/open-amt');
    expect(await fleetItem.locator('svg').count()).toBe(1);
  } catch (e) {
    throw new Error(`${e}\n--- portal log ---\n${portal.log()}`);
  } finally {
    await page.close();
  }
});

it('shows the example deployment with live health, and measures the card from data arrival to painted rows', async () => {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1100 },
  });
  // The marks are opt-in: set the flag before the app loads.
  await enableOpenAmtPerfMarks(page);
  try {
    await signInAsGuest(
      page,
      `${APP_URL}/catalog/default/system/open-amt-demo`,
    );
    const rows = page.locator('[data-testid^="component-row-"]');
    await rows.first().waitFor({ timeout: 90_000 });
    // mps, rps, mpsrouter, webui, database, secrets, gateway, the CIRA endpoint, devices and certificates.
    expect(await rows.count()).toBe(10);
    // The first sweep reaches the stand-in stack: the card updates live, down to the CIRA endpoint's TLS check.
    await page
      .locator('[data-testid="component-row-cira"]', { hasText: /healthy/i })
      .waitFor({ timeout: 120_000 });
    await page
      .getByText('simulated', { exact: false })
      .first()
      .waitFor({ timeout: 30_000 });
    // The plugin marks data arrival and the frame after its rows commit (plugins/open-amt/src/lib/perf.ts), opted in above.
    await page.waitForFunction(
      () =>
        performance.getEntriesByName('open-amt:card-data-to-paint').length > 0,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const paintMs = await page.evaluate(
      () =>
        performance.getEntriesByName('open-amt:card-data-to-paint')[0].duration,
    );
    expect(paintMs).toBeGreaterThanOrEqual(0);
    console.log(
      `card paint: ${paintMs.toFixed(
        1,
      )} ms from health data arrival to painted rows`,
    );
    await screenshot(page, '02-demo-health-card');
  } catch (e) {
    throw new Error(`${e}\n--- portal log ---\n${portal.log()}`);
  } finally {
    await page.close();
  }
});
