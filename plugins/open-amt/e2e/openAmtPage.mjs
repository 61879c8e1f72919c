// Helpers for the real-browser test (playwright-core + Debian chromium) of the Open AMT plugin.
// Not shipped with the package; import them from the repository's browser test:
//   import { measureCardPaint, waitForHealthCard, waitForFleet } from '../plugins/open-amt/e2e/openAmtPage.mjs';

/** Names of the performance entries the plugin writes (see src/lib/perf.ts). */
export const HEALTH_DATA_MARK = 'open-amt:health-data';
export const CARD_PAINT_MEASURE = 'open-amt:card-data-to-paint';

/**
 * Waits until the health card shows a deployment status and one row per component.
 * @param {import('playwright-core').Page} page
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<{ status: string, rows: { component: string, text: string }[] }>}
 */
export async function waitForHealthCard(page, options = {}) {
  const timeout = options.timeout ?? 30_000;
  await page.getByTestId('deployment-summary').waitFor({ timeout });
  await page
    .locator('[data-testid^="component-row-"]')
    .first()
    .waitFor({ timeout });
  const status = (
    await page.getByTestId('deployment-summary').innerText()
  ).trim();
  const rows = await page
    .locator('[data-testid^="component-row-"]')
    .evaluateAll(elements =>
      elements.map(el => ({
        component: el.getAttribute('data-testid').replace('component-row-', ''),
        text: el.textContent ?? '',
      })),
    );
  return { status, rows };
}

/**
 * Milliseconds from the health data arriving in the browser to the card's rows being painted, as
 * measured by the plugin itself (performance.measure after the next frame).
 * @param {import('playwright-core').Page} page
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<number>}
 */
export async function measureCardPaint(page, options = {}) {
  await page.waitForFunction(
    name => performance.getEntriesByName(name).length > 0,
    CARD_PAINT_MEASURE,
    { timeout: options.timeout ?? 30_000 },
  );
  return page.evaluate(
    name => performance.getEntriesByName(name)[0].duration,
    CARD_PAINT_MEASURE,
  );
}

/**
 * Waits until the fleet page has answered (rows, or the empty message) and returns the counts.
 * @param {import('playwright-core').Page} page
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<Record<'healthy'|'degraded'|'down'|'unknown', string>>}
 */
export async function waitForFleet(page, options = {}) {
  const timeout = options.timeout ?? 30_000;
  await page.getByText(/^Deployments \(\d+\)$/).waitFor({ timeout });
  const counts = {};
  for (const status of ['healthy', 'degraded', 'down', 'unknown']) {
    counts[status] = (
      await page.getByTestId(`fleet-count-${status}`).innerText()
    ).trim();
  }
  return counts;
}
