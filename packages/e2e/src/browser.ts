/*
 * Debian's chromium driven by playwright-core (test tools cannot download their own browser here).
 * The flags keep chromium from reaching out to the network at start; playwright gives it a fresh profile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { repoRoot } from './portal';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'docs', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: apt-get install -y chromium (.ci/run does it)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Signs in through the guest provider's "Enter" button when the sign-in page shows. */
export async function signInAsGuest(page: Page, appUrl: string): Promise<void> {
  // The first load fetches the whole development bundle; on a loaded machine that takes more than 30 s.
  await page.goto(appUrl, { timeout: 120_000 });
  const enter = page.getByRole('button', { name: /enter/i });
  if (await enter.isVisible({ timeout: 30_000 }).catch(() => false)) {
    await enter.click();
  }
}

/**
 * Opts the page into the Open AMT plugin's performance marks (plugins/open-amt/src/lib/perf.ts), which are off
 * unless `window.__OPEN_AMT_PERF__` is true before the app's scripts run.
 */
export async function enableOpenAmtPerfMarks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as Record<string, unknown>).__OPEN_AMT_PERF__ = true;
  });
}
