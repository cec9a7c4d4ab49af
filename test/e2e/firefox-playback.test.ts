/**
 * Firefox ESR plays the MP4 (faststart and moov-at-end), WebM and MP3 samples from a page on another origin and
 * seeks to 50% and 85% of the duration, each seek landing within 1.5 s of its target and playback moving on
 *. Firefox opens with `Range: bytes=0-`, so it is answered by the function itself (206), not
 * redirected. Control: the same media straight from the S3-compatible server, in the same test.
 */
import type { Page } from 'puppeteer-core';
import { requireTools } from '../support/require-tools.ts';
import { FIREFOX } from '../support/tools/requirements.ts';
import { type Firefox, launchFirefox, puppeteerDriver } from './support/firefox.ts';
import { expectPlayedAndSeeked, type PlayAndSeek, PROGRESSIVE_SAMPLES, playAndSeek } from './support/page-driver.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(FIREFOX);

let pages: PageServer;
let stack: LocalStack;
let firefox: Firefox;
let page: Page | undefined;

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({
    functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin, PLAIN_GET_REDIRECT_MIN_BYTES: String(64 * 1024) },
  });
  firefox = await launchFirefox();
}, 90_000);

afterEach(async () => {
  await page?.close().catch(() => undefined);
  page = undefined;
});

afterAll(async () => {
  await firefox?.close();
  await stack?.close();
  await pages?.close();
});

async function run(src: string, kind: 'video' | 'audio'): Promise<PlayAndSeek> {
  page = await firefox.browser.newPage();
  await page.goto(pages.url);
  try {
    return await playAndSeek(puppeteerDriver(page), src, kind);
  } finally {
    await page.close().catch(() => undefined);
    page = undefined;
  }
}

test.each(PROGRESSIVE_SAMPLES)(
  'Firefox plays $key cross-origin and seeks to 50% and 85%, through the origin as straight from S3',
  async ({ key, kind }) => {
    // Act
    const control = await run(await s3DirectUrl(stack, key), kind);
    const viaOrigin = await run(objectUrl(stack, key), kind);

    // Assess
    expectPlayedAndSeeked(control);
    expectPlayedAndSeeked(viaOrigin);
    expect(viaOrigin.started.duration).toBeCloseTo(control.started.duration, 3);
  },
  120_000,
);
