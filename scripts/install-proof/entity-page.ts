/*
 * The install proof's browser step: opens the example deployment's entity page in the generated app (served by its
 * backend) and waits for the Open AMT health card and its component rows. No stand-in stack runs for the proof,
 * so rows may read unknown or down; they must render.
 *
 *   node -r sucrase/register scripts/install-proof/entity-page.ts --url <app URL> --screenshot <file.png>
 */
import path from 'node:path';
import { Page } from 'playwright-core';
import { launchBrowser } from '../../packages/e2e/src/browser';

function arg(name: string): string {
  const at = process.argv.indexOf(name);
  if (at < 0 || !process.argv[at + 1]) {
    throw new Error(
      'usage: entity-page.ts --url <app URL> --screenshot <file.png>',
    );
  }
  return process.argv[at + 1];
}

/**
 * Opens the page and signs in through the guest provider's "Enter" button if the sign-in page comes first. Waits
 * for either the button or `ready` (isVisible() alone does not wait, so a slow first render would skip the button).
 */
async function openAsGuest(page: Page, url: string, ready: string) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.or(page.locator(ready).first()).first().waitFor({
    timeout: 120_000,
  });
  if (await enter.isVisible()) await enter.click();
}

async function main() {
  const appUrl = arg('--url');
  const shot = path.resolve(arg('--screenshot'));
  const browser = await launchBrowser();
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1100 },
  });
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(String(e)));
  try {
    // The card's own rows: one per component of the deployment (mps, rps, …, the CIRA endpoint).
    const rowSelector = '[data-testid^="component-row-"]';
    await openAsGuest(
      page,
      `${appUrl}/catalog/default/system/open-amt-demo`,
      rowSelector,
    );
    const rows = page.locator(rowSelector);
    await rows.first().waitFor({ timeout: 180_000 });
    const summary = page.locator('[data-testid="deployment-summary"]');
    await summary.waitFor({ timeout: 30_000 });
    console.log(
      `entity-page: the health card renders ${await rows.count()} component rows; summary: ${(
        await summary.innerText()
      ).replace(/\s+/g, ' ')}`,
    );
    await summary.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot });
    console.log(`entity-page: screenshot ${shot}`);
  } catch (e) {
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(
      `${e}\npage errors: ${errors.join('\n') || 'none'}\nscreenshot: ${shot}`,
    );
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(`entity-page: FAILED: ${e}`);
  process.exit(1);
});
