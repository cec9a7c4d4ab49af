/**
 * hls.js (MSE) in Chromium plays the HLS renditions of the sample through the origin, from a page on another
 * origin: the segmented fMP4 rendition via its master playlist, and the EXT-X-BYTERANGE rendition whose
 * fragments are explicit `bytes=a-b` ranges of ONE fMP4 file. Playlists must be application/vnd.apple.mpegurl,
 * init sections video/mp4, segments video/iso.segment (RFC 8216 section 3.3; IANA registration of
 * video/iso.segment), every body byte-identical to the stored file, and every explicit range
 * answered 206 with exactly the bytes asked (RFC 9110 section 14.1.2; HLS RFC 8216 section 4.3.2.2).
 *
 * Control: in the same test, the same playlist is first played the same way (same page, same
 * seeks) straight from the S3-compatible server. The playlists' relative URIs lose the presigned query, so an
 * hls.js loader swaps each request URL for its presigned S3 URL (page/player.js `loadHls`), as a site serving
 * private HLS from S3 would. Both runs must play and seek to the same duration with every request answered
 * exactly (exact-answers.ts, the check the DASH suite uses), and without an hls.js error other than hls.js
 * cancelling its own loads on a seek (isHlsSelfAbort in support/player.ts cites the hls.js source).
 */
import { readFileSync } from 'node:fs';
import { requireTools } from '../support/require-tools.ts';
import { CHROMIUM } from '../support/tools/requirements.ts';
import { chromiumForSuite, playwrightDriver } from './support/chromium.ts';
import {
  expectExactAnswers,
  type RangeSummary,
  type RecordedRequest,
  settledRequests,
} from './support/exact-answers.ts';
import { playlistRanges, playlistUris } from './support/hls-playlist.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { mediaBytes, mediaPath, renditionKeys } from './support/paths.ts';
import {
  type HlsErrorRecord,
  hlsErrors,
  isHlsSelfAbort,
  isHlsStallWithMediaBuffered,
  loadHls,
  type MediaState,
  mediaState,
  type SeekResult,
  seekAndAdvance,
} from './support/player.ts';
import { type ResponseLog, type ResponseRecord, recordResponses } from './support/response-log.ts';
import { bucketBaseUrl, presignedRewrite, s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(CHROMIUM);

let pages: PageServer;
let stack: LocalStack;
const chromium = chromiumForSuite();

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({ functionEnv: { CORS_ALLOWED_ORIGINS: pages.origin } });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await pages?.close();
});

/** What an HLS client needs (RFC 8216 section 3.3; IANA: video/iso.segment); the byterange file is plain MP4. */
const HLS_TYPES: Readonly<Record<string, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  mp4: 'video/mp4',
  m4s: 'video/iso.segment',
};

interface HlsPlay {
  readonly started: MediaState;
  readonly seeks: readonly SeekResult[];
  /**
   * The element's duration once it played near the end. hls.js sets the MediaSource duration from the playlist
   * and MSE extends it to the end of what was appended, so the duration seen at the start depends on how much
   * was buffered by then; once the last fragment is in, it is the media's.
   */
  readonly finalDuration: number;
  /** Every XHR hls.js made, as page/request-recorder.js saw it. */
  readonly requests: readonly RecordedRequest[];
  readonly errors: readonly HlsErrorRecord[];
  /** The responses Playwright saw from the origin (empty for the control). */
  readonly log: ResponseLog;
}

/**
 * A slow link (DevTools network emulation: 60 KB/s, 50 ms latency) on which hls.js is still loading fragments
 * when the test seeks, so it cancels them: about 4 s of transfer for the byterange rendition's 250 KB, while the
 * first seek comes about 0.3 s of playback after the start.
 */
const SLOW_NETWORK = { offline: false, latency: 50, downloadThroughput: 60_000, uploadThroughput: 1_000_000 };

/** Plays `src` on a fresh page, seeks to the middle and to 1 s before the end; what happened on the wire. */
async function playWithSeeks(
  src: string,
  rewrite: Readonly<Record<string, string>> = {},
  network: 'loopback' | 'slow' = 'loopback',
): Promise<HlsPlay> {
  const page = await chromium.newPage();
  if (network === 'slow') {
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Network.emulateNetworkConditions', SLOW_NETWORK);
  }
  const log = recordResponses(page, new URL(stack.url).origin);
  await page.goto(pages.url);
  const started = await loadHls(page, src, rewrite);
  const middle = await seekAndAdvance(page, started.duration / 2);
  const nearEnd = await seekAndAdvance(page, started.duration - 1);
  const finalDuration = (await mediaState(page))?.duration ?? Number.NaN;
  await log.settle();
  const requests = await settledRequests(playwrightDriver(page));
  return { started, seeks: [middle, nearEnd], finalDuration, requests, errors: await hlsErrors(page), log };
}

/**
 * Playback moved after the start and after each seek, without any hls.js error (fatal or not) except hls.js
 * cancelling a load of its own (isHlsSelfAbort: a seek away from a fragment in flight) and its wall-clock
 * watchdog firing while the media was already buffered ahead (isHlsStallWithMediaBuffered: the browser's
 * pipeline slow to move on a loaded machine, nothing missing from the network).
 */
function expectPlayedCleanly(played: HlsPlay): void {
  expect(played.started.currentTime).toBeGreaterThan(0);
  expect(played.started.duration).toBeGreaterThan(5);
  for (const seek of played.seeks) {
    expect(Math.abs(seek.seekedAt - seek.target)).toBeLessThan(0.5);
    expect(seek.advancedTo).toBeGreaterThan(seek.seekedAt);
  }
  expect(played.errors.filter((error) => !isHlsSelfAbort(error) && !isHlsStallWithMediaBuffered(error))).toEqual([]);
}

/**
 * Whether a logged response's body equals `expected`; `'cancelled'` for a load the page aborted itself
 * (`net::ERR_ABORTED`): hls.js cancels a fragment in flight when a seek leaves it behind (isHlsSelfAbort), and
 * Chromium keeps no body for it. Its status and headers are still checked by the caller, and the count of such
 * loads is held to the count of hls.js's own cancellations.
 */
async function bodyMatches(record: ResponseRecord, expected: Buffer): Promise<boolean | 'cancelled'> {
  if ((await record.failure()) === 'net::ERR_ABORTED') return 'cancelled';
  return (await record.body()).equals(expected);
}

/**
 * The control, then the same play through the origin. Both played cleanly to the same duration, every answer was
 * exact, the control's requests all went to S3 presigned, and the origin never redirected elsewhere.
 */
async function playFromS3AndOrigin(
  playlistKey: string,
  renditionDirs: readonly string[],
  network: 'loopback' | 'slow' = 'loopback',
): Promise<{ control: HlsPlay; viaOrigin: HlsPlay; fromS3: RangeSummary; fromOrigin: RangeSummary }> {
  const rewrite = await presignedRewrite(stack, [playlistKey, ...renditionDirs.flatMap(renditionKeys)]);
  const control = await playWithSeeks(await s3DirectUrl(stack, playlistKey), rewrite, network);
  const viaOrigin = await playWithSeeks(objectUrl(stack, playlistKey), {}, network);

  expectPlayedCleanly(control);
  expectPlayedCleanly(viaOrigin);
  expect(viaOrigin.finalDuration).toBeCloseTo(control.finalDuration, 3);
  const unsigned = control.requests.filter((request) => !new URL(request.url).searchParams.has('X-Amz-Signature'));
  expect(unsigned.map((request) => request.url)).toEqual([]);
  const fromS3 = expectExactAnswers(control.requests, bucketBaseUrl(stack), HLS_TYPES);
  const fromOrigin = expectExactAnswers(viaOrigin.requests, stack.url, HLS_TYPES);
  const selfAborts = (played: HlsPlay) => played.errors.filter(isHlsSelfAbort).length;
  const bufferedStalls = (played: HlsPlay) => played.errors.filter(isHlsStallWithMediaBuffered).length;
  console.log(
    `${playlistKey}: via origin ${fromOrigin.ranges.length} ranges, ${fromOrigin.whole.length} whole, ${fromOrigin.aborted} aborted, ${selfAborts(viaOrigin)} hls.js self-aborts, ${bufferedStalls(viaOrigin)} stalls with media buffered; from S3 ${fromS3.ranges.length} ranges, ${fromS3.whole.length} whole, ${fromS3.aborted} aborted, ${selfAborts(control)} hls.js self-aborts, ${bufferedStalls(control)} stalls with media buffered`,
  );
  return { control, viaOrigin, fromS3, fromOrigin };
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
  const { viaOrigin, fromS3, fromOrigin } = await playFromS3AndOrigin('hls/master.m3u8', ['hls/fmp4']);
  const { log } = viaOrigin;

  // Assess: both played the playlists and segments whole, from S3 as through the origin (playFromS3AndOrigin
  // checked every answer).
  for (const summary of [fromS3, fromOrigin]) {
    expect(summary.ranges).toEqual([]);
    expect(summary.whole).toEqual(expect.arrayContaining(['hls/master.m3u8', 'hls/fmp4/index.m3u8', init]));
  }

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
  let cancelled = 0;
  for (const key of fetched) {
    for (const record of log.forPath(`/${key}`)) {
      expect({ key, range: record.range, status: record.status, type: record.headers['content-type'] }).toEqual({
        key,
        range: undefined,
        status: 200,
        type: typeOf(key),
      });
      expect(record.headers['access-control-allow-origin']).toBe(pages.origin);
      const matches = await bodyMatches(record, mediaBytes(key));
      if (matches === 'cancelled') cancelled += 1;
      else expect({ key, matches }).toEqual({ key, matches: true });
    }
  }
  expect(cancelled).toBeLessThanOrEqual(viaOrigin.errors.filter(isHlsSelfAbort).length);
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
  const { viaOrigin, fromS3, fromOrigin } = await playFromS3AndOrigin(playlist, ['hls/byterange']);
  const { log } = viaOrigin;

  // Assess: from S3 as through the origin, only the playlist was fetched whole and the media file only by the
  // playlist's ranges, each answered 206 with exactly those bytes (playFromS3AndOrigin checked every answer);
  // both asked for the init section (EXT-X-MAP), the first and the last fragment.
  const map = ranges.find((range) => range.kind === 'map');
  const fragments = ranges.filter((range) => range.kind === 'segment');
  const essential = [map, fragments[0], fragments.at(-1)].map((range) =>
    range ? `${file} ${asRangeHeader(range)}` : '',
  );
  for (const summary of [fromS3, fromOrigin]) {
    expect(summary.whole).toEqual([playlist]);
    for (const asked of summary.ranges) expect(planned.map((header) => `${file} ${header}`)).toContain(asked);
    expect(summary.ranges).toEqual(expect.arrayContaining(essential));
  }

  // Assess: the playlist.
  const [list] = log.forPath(`/${playlist}`);
  expect(list?.status).toBe(200);
  expect(list?.headers['content-type']).toBe('application/vnd.apple.mpegurl');
  // Assess: every request for the media file named one of the playlist's ranges, and got exactly those bytes.
  const records = log.forPath(`/${file}`);
  expect(records.length).toBeGreaterThanOrEqual(3);
  let cancelled = 0;
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
    const matches = await bodyMatches(record, stored.subarray(range.start, range.end + 1));
    if (matches === 'cancelled') cancelled += 1;
    else expect({ range: record.range, matches }).toEqual({ range: record.range, matches: true });
  }
  expect(cancelled).toBeLessThanOrEqual(viaOrigin.errors.filter(isHlsSelfAbort).length);
  // Assess: the init section (EXT-X-MAP), the first and the last fragment were among them.
  const asked = records.map((record) => record.range);
  expect(asked).toEqual(
    expect.arrayContaining([map, fragments[0], fragments.at(-1)].map((range) => (range ? asRangeHeader(range) : ''))),
  );
}, 120_000);

test('on a slow link hls.js cancels in-flight fragments when seeking, from S3 as through the origin, and nothing else', async () => {
  // Prepare: the errors full parallel runs occasionally saw, {networkError, aborted, fatal: false, url: null},
  // made certain: fragments still loading at each seek.
  const playlist = 'hls/byterange/index.m3u8';

  // Act
  const { control, viaOrigin } = await playFromS3AndOrigin(playlist, ['hls/byterange'], 'slow');

  // Assess: both played and seeked, every answer exact and no other hls.js error (playFromS3AndOrigin); the
  // straight-from-S3 control shows the same cancellations, so they are the client's, not the origin's.
  for (const played of [control, viaOrigin]) {
    const selfAborts = played.errors
      .filter(isHlsSelfAbort)
      .map(({ type, details, fatal, url }) => ({ type, details, fatal, url }));
    expect(selfAborts.length).toBeGreaterThan(0);
    expect(selfAborts).toEqual(
      selfAborts.map(() => ({ type: 'networkError', details: 'aborted', fatal: false, url: null })),
    );
  }
}, 180_000);
