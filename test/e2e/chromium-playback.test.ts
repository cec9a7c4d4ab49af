/**
 * Chromium (Debian's build, which includes the H.264/AAC decoders) plays the MP4, WebM and MP3 samples from a
 * page on ANOTHER origin, with crossorigin="anonymous" so the media element only accepts CORS-approved answers.
 * It seeks to the middle and near the end; each seek must be followed by playback advancing.
 *
 * The stack runs with a small OPEN_RANGE_CAP_BYTES. Chromium's User-Agent carries the `Mozilla/` token, which
 * marks a client known to read on after a short 206 (lambda/http/follows-short-ranges.ts), so its open-ended
 * `bytes=N-` requests get short 206s (truthful Content-Range, RFC 9110 section 15.3.7) and it must come back for
 * the rest: every request must be a Range request answered 206 starting exactly where it asked.
 *
 * Control: each played item is first played the same way (same page, same seeks) straight from
 * the S3-compatible server through a presigned GetObject URL, in the same test; both must play and seek, to the
 * same duration. The multi-range fetch has no control: S3 GetObject serves one range only.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { requireTools } from '../support/require-tools.ts';
import { CHROMIUM } from '../support/tools/requirements.ts';
import { chromiumForSuite } from './support/chromium.ts';
import { topLevelBoxes } from './support/media-tools.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { mediaBytes, mediaPath } from './support/paths.ts';
import { fetchRange, loadMedia, type MediaState, type SeekResult, seekAndAdvance } from './support/player.ts';
import { parseSingleRange, type ResponseRecord, recordResponses } from './support/response-log.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(CHROMIUM);

const openRangeCap = 64 * 1024;

let pages: PageServer;
let stack: LocalStack;
const chromium = chromiumForSuite();

beforeAll(async () => {
  pages = await startPageServer();
  stack = await startE2eStack({
    functionEnv: { OPEN_RANGE_CAP_BYTES: String(openRangeCap), CORS_ALLOWED_ORIGINS: pages.origin },
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await pages?.close();
});

/** A fresh player page (closed after the test) recording the responses from `origin` (default: the origin's). */
async function openPlayerPage(
  origin = new URL(stack.url).origin,
): Promise<{ page: Page; log: ReturnType<typeof recordResponses> }> {
  const page = await chromium.newPage();
  const log = recordResponses(page, origin);
  await page.goto(pages.url);
  return { page, log };
}

interface Played {
  readonly started: MediaState;
  readonly middle: SeekResult;
  readonly nearEnd: SeekResult;
}

/** Loads `src`, plays, seeks to the middle and to 1 s before the end. */
async function playWithSeeks(player: Page, src: string, kind: 'video' | 'audio'): Promise<Played> {
  const started = await loadMedia(player, src, kind);
  const middle = await seekAndAdvance(player, started.duration / 2);
  const nearEnd = await seekAndAdvance(player, started.duration - 1);
  return { started, middle, nearEnd };
}

/** Playback moved after the start and after each seek. */
function expectPlayedAndSeeked({ started, middle, nearEnd }: Played): void {
  expect(started.error).toBeNull();
  expect(started.duration).toBeGreaterThan(5);
  expect(started.currentTime).toBeGreaterThan(0);
  for (const seek of [middle, nearEnd]) {
    expect(Math.abs(seek.seekedAt - seek.target)).toBeLessThan(0.5);
    expect(seek.advancedTo).toBeGreaterThan(seek.seekedAt);
  }
}

/** The S3-compatible server's origin, where the controls' presigned URLs point. */
function s3Origin(): string {
  return new URL(stack.s3.endpoint).origin;
}

/**
 * Every response to the media element must be a 206 for the single range asked: starting exactly there, ending
 * where asked (clamped at EOF) or, for an open range, after at most the cap, telling the true size, and carrying
 * the CORS approval for the page's origin. Compared as one table so a failure shows every request.
 */
function expectRangeAnswers(records: readonly ResponseRecord[], size: number): void {
  const seen = records.map((record) => ({
    range: record.range,
    status: record.status,
    contentRange: record.headers['content-range'],
    allowOrigin: record.headers['access-control-allow-origin'],
  }));
  const wanted = records.map((record) => {
    const asked = parseSingleRange(record.range);
    const start = asked?.start ?? -1;
    const end = asked?.end === undefined ? Math.min(start + openRangeCap, size) - 1 : Math.min(asked.end, size - 1);
    return {
      range: expect.stringMatching(/^bytes=\d+-\d*$/),
      status: 206,
      contentRange: `bytes ${start}-${end}/${size}`,
      allowOrigin: pages.origin,
    };
  });
  expect(seen.length).toBeGreaterThan(0);
  expect(seen).toEqual(wanted);
}

const samples = [
  { key: 'sample.mp4', kind: 'video', type: 'video/mp4' },
  { key: 'sample-moov-at-end.mp4', kind: 'video', type: 'video/mp4' },
  { key: 'sample.webm', kind: 'video', type: 'video/webm' },
  { key: 'sample.mp3', kind: 'audio', type: 'audio/mpeg' },
] as const;

test.each(samples)(
  'Chromium plays $key cross-origin, seeks to the middle and near the end, through 206 range answers',
  async ({ key, kind, type }) => {
    // Prepare
    const size = mediaBytes(key).length;
    const controlUrl = await s3DirectUrl(stack, key);

    // Act: the control straight from S3 first, then through the origin, each on a fresh page.
    const control = await openPlayerPage(s3Origin());
    const fromS3 = await playWithSeeks(control.page, controlUrl, kind);
    await control.log.settle();
    const { page, log } = await openPlayerPage();
    const viaOrigin = await playWithSeeks(page, objectUrl(stack, key), kind);
    await log.settle();

    // Assess: playback moved after the start and after each seek, from S3 as through the origin, and both
    // found the same duration; the control's media really came from S3 (206 answers to range requests).
    expectPlayedAndSeeked(fromS3);
    expectPlayedAndSeeked(viaOrigin);
    expect(viaOrigin.started.duration).toBeCloseTo(fromS3.started.duration, 3);
    const controlRecords = control.log.forPath(new URL(controlUrl).pathname);
    expect(controlRecords.length).toBeGreaterThan(0);
    expect(new Set(controlRecords.map((record) => record.status))).toEqual(new Set([206]));
    // Assess: the requests were Range requests answered with exact 206s; the object is larger than the cap, so
    // Chromium needed more than one of them.
    const records = log.forPath(`/${key}`);
    expectRangeAnswers(records, size);
    expect(size).toBeGreaterThan(openRangeCap);
    expect(records.length).toBeGreaterThan(1);
    expect(new Set(records.map((record) => record.headers['content-type']))).toEqual(new Set([type]));
  },
  120_000,
);

test('Chromium finds the index at the end of a non-faststart MP4 with a range request into the tail', async () => {
  // Prepare
  const key = 'sample-moov-at-end.mp4';
  const size = mediaBytes(key).length;
  const boxes = topLevelBoxes(readFileSync(mediaPath(key)));
  const mdat = boxes.find((box) => box.type === 'mdat');
  if (!mdat) throw new Error(`${key} has no mdat`);
  const controlUrl = await s3DirectUrl(stack, key);
  const startsOf = (records: readonly ResponseRecord[]) =>
    records.map((record) => parseSingleRange(record.range)?.start);

  // Act: straight from S3 first (the control), then through the origin.
  const control = await openPlayerPage(s3Origin());
  const controlState = await loadMedia(control.page, controlUrl, 'video');
  await control.log.settle();
  const { page, log } = await openPlayerPage();
  await loadMedia(page, objectUrl(stack, key), 'video');
  await log.settle();

  // Assess: the control found the index too. S3 never caps a range, so its answer to the first `bytes=0-` may
  // already hold the whole file (index included); else Chromium jumped into the tail as below.
  const controlRecords = control.log.forPath(new URL(controlUrl).pathname);
  const controlStarts = startsOf(controlRecords);
  expect(controlState.duration).toBeGreaterThan(5);
  expect(controlStarts[0]).toBe(0);
  expect(
    controlRecords[0]?.headers['content-range'] === `bytes 0-${size - 1}/${size}` ||
      (controlStarts[1] ?? 0) > mdat.offset + mdat.size / 2,
  ).toBe(true);
  // Assess: after the first answer (which holds no moov), the next request jumps past the media data's middle.
  const starts = startsOf(log.forPath(`/${key}`));
  expect(starts[0]).toBe(0);
  expect(starts[1]).toBeGreaterThan(mdat.offset + mdat.size / 2);
}, 120_000);

test('a cross-origin fetch from the page can read Content-Range, Accept-Ranges and ETag (exposed by CORS)', async () => {
  // Prepare
  const { page } = await openPlayerPage();
  const stored = mediaBytes('sample.mp4');

  // Act: straight from S3 first (the control), then through the origin.
  const control = await fetchRange(page, await s3DirectUrl(stack, 'sample.mp4'), 'bytes=0-1');
  const answer = await fetchRange(page, objectUrl(stack, 'sample.mp4'), 'bytes=0-1');

  // Assess
  for (const each of [control, answer]) {
    expect(each.status).toBe(206);
    expect(each.headers['content-range']).toBe(`bytes 0-1/${stored.length}`);
    expect(each.headers['accept-ranges']).toBe('bytes');
    expect(each.headers.etag).toMatch(/"/);
    expect(each.headers['content-type']).toBe('video/mp4');
    expect(each.byteLength).toBe(2);
    expect(each.bytes).toEqual([...stored.subarray(0, 2)]);
  }
}, 120_000);

test('a multi-range fetch from the page passes the CORS preflight and gets multipart/byteranges', async () => {
  // Prepare: more than one range is not a CORS-safelisted Range value, so the browser sends a preflight
  // (OPTIONS with Access-Control-Request-Headers: range) first (Fetch standard, "CORS-safelisted request-header").
  const { page } = await openPlayerPage();

  // Act
  const answer = await fetchRange(page, objectUrl(stack, 'sample.mp4'), 'bytes=0-1,100-199');

  // Assess
  expect(answer.status).toBe(206);
  expect(answer.headers['content-type']).toMatch(/^multipart\/byteranges; ?boundary=/);
  expect(answer.byteLength).toBeGreaterThan(102);
}, 120_000);
