/**
 * WebKitGTK (MiniBrowser under Xvfb, driven over WebDriver) plays the MP4 (faststart and moov-at-end), WebM and
 * MP3 samples, all small files (under 1 MiB), from a page on another origin, and seeks back and forth (SEEK_CYCLE),
 * each seek landing within 1.5 s of its target. Its media element runs on GStreamer: it opens with a plain GET,
 * which the origin answers with a 307 to S3 whatever the object's size, so the element gets a Content-Length
 * (a streamed Function URL answer has none). Any later Range request comes back to the origin, which serves it in
 * full: WebKitGTK does not follow short 206s (lambda/http/follows-short-ranges.ts). Control: the same media
 * straight from the S3-compatible server, in the same test; the origin's own log (origin-exchanges.ts) shows
 * what it answered.
 */
import { requireTools } from '../support/require-tools.ts';
import { WEBKITGTK } from '../support/tools/requirements.ts';
import { type OriginExchanges, openOriginExchanges } from './support/origin-exchanges.ts';
import {
  expectPlayedAndSeeked,
  PLAIN_GET_SAMPLES,
  type PlayAndSeek,
  playAndSeek,
  SMALL_FILE_BYTES,
} from './support/page-driver.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { mediaBytes } from './support/paths.ts';
import { bucketBaseUrl, s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';
import { startWebKitDriver, type WebKitDriver } from './support/webkitgtk.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(...WEBKITGTK);

/**
 * Where each page seeks, in order: to 85% five times (from the middle, from early on and from 85% itself), to 50%
 * and 20% twice. A seek that fails one time in three (the WebM's seek to 85% has) then fails a run with
 * probability 1 - (2/3)^5, about 87%, per source, for a few seconds more per page.
 */
const SEEK_CYCLE = [0.5, 0.85, 0.2, 0.85, 0.5, 0.85, 0.2, 0.85, 0.85, 0.85] as const;

let pages: PageServer;
let stack: LocalStack;
let driver: WebKitDriver;
let exchanges: OriginExchanges;

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({ functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin } });
  exchanges = await openOriginExchanges(stack);
  driver = await startWebKitDriver();
}, 90_000);

afterAll(async () => {
  exchanges?.close();
  await driver?.close();
  await stack?.close();
  await pages?.close();
});

async function run(src: string, kind: 'video' | 'audio'): Promise<PlayAndSeek> {
  const session = await driver.newSession();
  try {
    await session.navigate(pages.url);
    return await playAndSeek(session, src, kind, SEEK_CYCLE);
  } finally {
    await session.close();
  }
}

test.each(PLAIN_GET_SAMPLES)(
  'WebKitGTK plays $key cross-origin and seeks back and forth, through the origin as straight from S3',
  async ({ key, kind }) => {
    // Prepare
    expect(mediaBytes(key).length).toBeLessThan(SMALL_FILE_BYTES);
    const size = mediaBytes(key).length;

    // Act
    const control = await run(await s3DirectUrl(stack, key), kind);
    const mark = exchanges.mark();
    const viaOrigin = await run(objectUrl(stack, key), kind);
    await exchanges.waitFor(mark, (records) => records.length > 0, `exchange for ${key}`);
    const answered = exchanges.since(mark).map(({ method, path, range, status, contentRange, redirectedTo }) => ({
      method,
      path,
      range,
      status,
      contentRange,
      redirectedTo,
    }));

    // Assess: both played and every seek landed.
    expectPlayedAndSeeked(control);
    expectPlayedAndSeeked(viaOrigin);
    expect(viaOrigin.started.duration).toBeCloseTo(control.started.duration, 3);
    expect(viaOrigin.seeks).toHaveLength(SEEK_CYCLE.length);
    // Assess: the origin answered the plain GET with a 307 to the object on S3, and any Range request that
    // came back to it with a 206 of exactly the bytes asked (open ranges to the end: WebKitGTK gets no short 206).
    const [first, ...later] = answered;
    expect(first).toEqual({
      method: 'GET',
      path: `/${key}`,
      range: null,
      status: 307,
      contentRange: null,
      redirectedTo: bucketBaseUrl(stack) + key,
    });
    for (const record of later) {
      const asked = /^bytes=(\d+)-(\d*)$/.exec(record.range ?? '');
      const end = asked?.[2] === '' || asked?.[2] === undefined ? size - 1 : Math.min(Number(asked[2]), size - 1);
      expect(record).toEqual({
        ...record,
        path: `/${key}`,
        status: 206,
        contentRange: `bytes ${asked?.[1]}-${end}/${size}`,
      });
    }
  },
  240_000,
);
