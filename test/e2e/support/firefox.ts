/**
 * Firefox ESR (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi. A fresh profile per launch
 * (running as root, an existing profile may not be usable) with autoplay allowed, headless.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { FIREFOX, toolPath } from '../../support/tools/requirements.ts';
import type { PageDriver } from './page-driver.ts';

export interface Firefox {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<Firefox> {
  const profile = await mkdtemp(join(tmpdir(), 'media-origin-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: toolPath(FIREFOX),
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      // Media starts without a user gesture: the tests call play() programmatically.
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      // No HTTP cache: every response is one the origin (or S3) sent.
      'browser.cache.disk.enable': false,
      'browser.cache.memory.enable': false,
    },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export function puppeteerDriver(page: Page): PageDriver {
  return { evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T> };
}
