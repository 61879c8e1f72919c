/*
 * Issue: a newcomer runs the portal with `npm start` and sees this repository's entities after a guest sign-in.
 */
import { Browser } from 'playwright-core';
import { launchBrowser, screenshot, signInAsGuest } from './browser';
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
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await signInAsGuest(page, `${APP_URL}/catalog?filters[kind]=component&filters[user]=all`);
    // The table shows each Component's title (catalog-info.yaml): the package folder names.
    await page.getByRole('link', { name: 'open-amt-backend', exact: true }).first().waitFor({ timeout: 90_000 });
    for (const title of ['open-amt-common', 'open-amt-node', 'scaffolder-backend-module-open-amt', 'open-amt']) {
      await page.getByRole('link', { name: title, exact: true }).first().waitFor({ timeout: 30_000 });
    }
    // Signed in: the sidebar shows the guest's settings entry, and the page is the catalog, not the sign-in page.
    expect(await page.getByRole('button', { name: /enter/i }).count()).toBe(0);
    expect(page.url()).toContain('/catalog');
    await screenshot(page, '01-catalog');
  } catch (e) {
    throw new Error(`${e}\n--- portal log ---\n${portal.log()}`);
  } finally {
    await page.close();
  }
});
