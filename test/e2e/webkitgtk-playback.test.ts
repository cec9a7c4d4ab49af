/**
 * WebKitGTK (MiniBrowser under Xvfb, driven over WebDriver) plays the MP4 (faststart and moov-at-end), WebM and
 * MP3 samples from a page on another origin and seeks to 50% and 85%, each seek landing within 1.5 s of its
 * target (issue #10). Its media element runs on GStreamer: it opens with a plain GET, which the origin answers
 * with a 307 to S3 (Content-Length; later Range requests come back to the origin, which serves them in full:
 * WebKitGTK does not follow short 206s, lambda/http/follows-short-ranges.ts). Control: the same media straight
 * from the S3-compatible server, in the same test.
 */
import { requireTools } from '../support/require-tools.ts';
import { WEBKITGTK } from '../support/tools/requirements.ts';
import { expectPlayedAndSeeked, type PlayAndSeek, PROGRESSIVE_SAMPLES, playAndSeek } from './support/page-driver.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';
import { startWebKitDriver, type WebKitDriver } from './support/webkitgtk.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(...WEBKITGTK);

let pages: PageServer;
let stack: LocalStack;
let driver: WebKitDriver;

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({
    functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin, PLAIN_GET_REDIRECT_MIN_BYTES: String(64 * 1024) },
  });
  driver = await startWebKitDriver();
}, 90_000);

afterAll(async () => {
  await driver?.close();
  await stack?.close();
  await pages?.close();
});

async function run(src: string, kind: 'video' | 'audio'): Promise<PlayAndSeek> {
  const session = await driver.newSession();
  try {
    await session.navigate(pages.url);
    return await playAndSeek(session, src, kind);
  } finally {
    await session.close();
  }
}

test.each(PROGRESSIVE_SAMPLES)(
  'WebKitGTK plays $key cross-origin and seeks to 50% and 85%, through the origin as straight from S3',
  async ({ key, kind }) => {
    // Act
    const control = await run(await s3DirectUrl(stack, key), kind);
    const viaOrigin = await run(objectUrl(stack, key), kind);

    // Assess
    expectPlayedAndSeeked(control);
    expectPlayedAndSeeked(viaOrigin);
    expect(viaOrigin.started.duration).toBeCloseTo(control.started.duration, 3);
  },
  180_000,
);
