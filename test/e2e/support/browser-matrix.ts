/**
 * The two-browser player matrix (Chromium through Playwright, Firefox through Puppeteer/WebDriver BiDi) with
 * the page server and a stack that allows the page's origin. Objects this small are served by the function
 * itself rather than redirected to S3, so every request of the "through the origin" runs reaches the origin.
 */
import { afterAll, beforeAll } from '@jest/globals';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import { launchChromium, newUncachedPage, playwrightDriver } from './chromium.ts';
import { type Firefox, launchFirefox, puppeteerDriver } from './firefox.ts';
import type { PageDriver } from './page-driver.ts';
import { type PageServer, startPageServer } from './page-server.ts';
import { type LocalStack, startE2eStack } from './stack.ts';

export type BrowserName = 'chromium' | 'firefox';

export interface BrowserMatrix {
  readonly pages: PageServer;
  readonly stack: LocalStack;
  /** Runs `use` on a fresh page of `browser` opened at `pageUrl` (the recorder starts empty), then closes it. */
  withPage<T>(browser: BrowserName, pageUrl: string, use: (driver: PageDriver) => Promise<T>): Promise<T>;
}

/** Starts the matrix before the suite's tests and stops it after them; tests read it through the returned function. */
export function browserMatrixForSuite(): () => BrowserMatrix {
  let matrix: BrowserMatrix | undefined;
  let pages: PageServer | undefined;
  let stack: LocalStack | undefined;
  let chromium: ChromiumBrowser | undefined;
  let firefox: Firefox | undefined;

  beforeAll(async () => {
    pages = await startPageServer();
    stack = await startE2eStack({
      functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin, PLAIN_GET_REDIRECT_MIN_BYTES: String(64 * 1024) },
    });
    const [chromiumBrowser, firefoxBrowser] = await Promise.all([launchChromium(), launchFirefox()]);
    chromium = chromiumBrowser;
    firefox = firefoxBrowser;
    matrix = {
      pages,
      stack,
      async withPage(browser, pageUrl, use) {
        if (browser === 'chromium') {
          const page = await newUncachedPage(chromiumBrowser);
          try {
            await page.goto(pageUrl);
            return await use(playwrightDriver(page));
          } finally {
            await page.close();
          }
        }
        const page = await firefoxBrowser.browser.newPage();
        try {
          await page.goto(pageUrl);
          return await use(puppeteerDriver(page));
        } finally {
          await page.close().catch(() => undefined);
        }
      },
    };
  }, 90_000);

  afterAll(async () => {
    await chromium?.close();
    await firefox?.close();
    await stack?.close();
    await pages?.close();
  });

  return () => {
    if (matrix === undefined) throw new Error('the browser matrix is not running: its beforeAll failed or has not run');
    return matrix;
  };
}
