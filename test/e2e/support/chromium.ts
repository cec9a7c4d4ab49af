/**
 * One way to start a browser for every e2e suite. playwright-core drives an installed Chromium through
 * `executablePath` (CHROMIUM_PATH, else `chromium` on PATH, else the macOS app: test/support/tools/requirements.ts):
 * Playwright's own browser download needs internet access a CI machine may not have.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM, toolPath } from '../../support/tools/requirements.ts';
import type { PageDriver } from './page-driver.ts';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox', // runs as root in CI containers
  '--disable-gpu',
  // QUIC/HTTP3 is irrelevant on loopback and its probing adds noise to the request log.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Media starts without a user gesture: the tests call play() programmatically.
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: toolPath(CHROMIUM), args: [...chromiumArgs], headless: true });
}

/**
 * A page whose HTTP cache is disabled (DevTools' "Disable cache"). Chromium's cache stores range answers as
 * sparse entries and can itself synthesize a 206 for a later range from them; with it off, every response the
 * tests inspect is one the origin sent.
 */
export async function newUncachedPage(
  browser: Browser,
  options: { readonly width?: number; readonly height?: number } = {},
) {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Network.enable');
  await devtools.send('Network.setCacheDisabled', { cacheDisabled: true });
  return page;
}

/** The in-page helpers (page-driver.ts) reached through Playwright: a string expression, its promise awaited. */
export function playwrightDriver(page: Page): PageDriver {
  return { evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T> };
}

/** One Chromium for a suite, and the test's page. */
export interface ChromiumSuite {
  browser(): Browser;
  /** A fresh uncached page; the previous one is closed, and the last one after the test. */
  newPage(): Promise<Page>;
}

/** Launches Chromium before the suite's tests and closes it after them; closes each test's page after the test. */
export function chromiumForSuite(): ChromiumSuite {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });
  const running = (): Browser => {
    if (browser === undefined) throw new Error('Chromium is not running: its beforeAll failed or has not run');
    return browser;
  };
  return {
    browser: running,
    async newPage() {
      await page?.close();
      page = await newUncachedPage(running());
      return page;
    },
  };
}
