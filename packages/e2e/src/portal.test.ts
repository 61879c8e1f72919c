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
    await page.getByText('plugin-open-amt-backend', { exact: false }).first().waitFor({ timeout: 90_000 });
    for (const name of ['plugin-open-amt-common', 'plugin-open-amt-node', 'plugin-scaffolder-backend-module-open-amt']) {
      await page.getByText(name, { exact: false }).first().waitFor({ timeout: 30_000 });
    }
    await screenshot(page, '01-catalog');
  } catch (e) {
    throw new Error(`${e}\n--- portal log ---\n${portal.log()}`);
  } finally {
    await page.close();
  }
});
