/**
 * hls.js (MSE) in Chromium plays the HLS renditions of the sample through the origin, from a page on another
 * origin: the segmented fMP4 rendition via its master playlist, and the EXT-X-BYTERANGE rendition whose
 * fragments are explicit `bytes=a-b` ranges of ONE fMP4 file. Playlists must be application/vnd.apple.mpegurl,
 * init sections video/mp4, segments video/iso.segment (RFC 8216 section 3.3; IANA registration of
 * video/iso.segment), every body byte-identical to the stored file, and every explicit range
 * answered 206 with exactly the bytes asked (RFC 9110 section 14.1.2; HLS RFC 8216 section 4.3.2.2).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newUncachedPage } from './support/chromium.ts';
import { playlistRanges, playlistUris } from './support/hls-playlist.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { mediaBytes, mediaPath } from './support/paths.ts';
import { hlsErrors, loadHls, seekAndAdvance } from './support/player.ts';
import { type ResponseLog, recordResponses } from './support/response-log.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

let pages: PageServer;
let stack: LocalStack;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({ functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin } });
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  await page?.close();
  page = undefined;
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await pages?.close();
});

async function playWithSeeks(playlistKey: string): Promise<ResponseLog> {
  page = await newUncachedPage(browser);
  const log = recordResponses(page, new URL(stack.url).origin);
  await page.goto(pages.url);
  const started = await loadHls(page, objectUrl(stack, playlistKey));
  const middle = await seekAndAdvance(page, started.duration / 2);
  const nearEnd = await seekAndAdvance(page, started.duration - 1);
  await log.settle();
  // Playback moved after the start and after each seek, without any hls.js error (fatal or not).
  expect(started.currentTime).toBeGreaterThan(0);
  expect(started.duration).toBeGreaterThan(5);
  for (const seek of [middle, nearEnd]) {
    expect(Math.abs(seek.seekedAt - seek.target)).toBeLessThan(0.5);
    expect(seek.advancedTo).toBeGreaterThan(seek.seekedAt);
  }
  expect(await hlsErrors(page)).toEqual([]);
  return log;
}

test('hls.js plays the segmented fMP4 rendition via the master playlist, with the right types and bytes', async () => {
  // Prepare: init.mp4 first (EXT-X-MAP), then the segments.
  const [init, ...segments] = playlistUris(readFileSync(mediaPath('hls/fmp4/index.m3u8'), 'utf8')).map(
    (uri) => `hls/fmp4/${uri}`,
  );
  expect(init).toBe('hls/fmp4/init.mp4');
  expect(segments.length).toBeGreaterThanOrEqual(5);
  const typeOf = (key: string) => (key.endsWith('.m4s') ? 'video/iso.segment' : 'video/mp4');

  // Act
  const log = await playWithSeeks('hls/master.m3u8');

  // Assess: both playlists, as HLS playlists, CORS-approved, byte-identical.
  for (const key of ['hls/master.m3u8', 'hls/fmp4/index.m3u8']) {
    const [record] = log.forPath(`/${key}`);
    expect(record?.status).toBe(200);
    expect(record?.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(record?.headers['access-control-allow-origin']).toBe(pages.origin);
    expect((await record?.body())?.equals(mediaBytes(key))).toBe(true);
  }
  // Assess: the init section, the first and the last segment (the near-end seek needs it) were fetched; every
  // fetch got the right type and exactly the stored bytes.
  const fetched = [init ?? '', ...segments].filter((key) => log.forPath(`/${key}`).length > 0);
  expect(fetched).toEqual(expect.arrayContaining([init, segments[0], segments.at(-1)]));
  for (const key of fetched) {
    for (const record of log.forPath(`/${key}`)) {
      expect({ key, range: record.range, status: record.status, type: record.headers['content-type'] }).toEqual({
        key,
        range: undefined,
        status: 200,
        type: typeOf(key),
      });
      expect(record.headers['access-control-allow-origin']).toBe(pages.origin);
      expect((await record.body()).equals(mediaBytes(key))).toBe(true);
    }
  }
}, 120_000);

test('hls.js plays the EXT-X-BYTERANGE rendition: every fragment is an explicit range answered 206 exactly', async () => {
  // Prepare
  const playlist = 'hls/byterange/index.m3u8';
  const ranges = playlistRanges(readFileSync(mediaPath(playlist), 'utf8'));
  const file = 'hls/byterange/media.mp4';
  const stored = mediaBytes(file);
  expect(ranges.map((range) => range.uri)).toEqual(ranges.map(() => 'media.mp4'));
  const asRangeHeader = ({ start, end }: { start: number; end: number }) => `bytes=${start}-${end}`;
  const planned = ranges.map(asRangeHeader);

  // Act
  const log = await playWithSeeks(playlist);

  // Assess: the playlist.
  const [list] = log.forPath(`/${playlist}`);
  expect(list?.status).toBe(200);
  expect(list?.headers['content-type']).toBe('application/vnd.apple.mpegurl');
  // Assess: every request for the media file named one of the playlist's ranges, and got exactly those bytes.
  const records = log.forPath(`/${file}`);
  expect(records.length).toBeGreaterThanOrEqual(3);
  for (const record of records) {
    expect(planned).toContain(record.range);
    const range = ranges.find((candidate) => asRangeHeader(candidate) === record.range);
    if (!range) continue;
    expect({ range: record.range, status: record.status, contentRange: record.headers['content-range'] }).toEqual({
      range: record.range,
      status: 206,
      contentRange: `bytes ${range.start}-${range.end}/${stored.length}`,
    });
    expect(record.headers['content-type']).toBe('video/mp4');
    expect(record.headers['access-control-allow-origin']).toBe(pages.origin);
    expect((await record.body()).equals(stored.subarray(range.start, range.end + 1))).toBe(true);
  }
  // Assess: the init section (EXT-X-MAP), the first and the last fragment were among them.
  const asked = records.map((record) => record.range);
  const map = ranges.find((range) => range.kind === 'map');
  const fragments = ranges.filter((range) => range.kind === 'segment');
  expect(asked).toEqual(
    expect.arrayContaining([map, fragments[0], fragments.at(-1)].map((range) => (range ? asRangeHeader(range) : ''))),
  );
}, 120_000);
