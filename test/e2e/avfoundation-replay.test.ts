/**
 * Replays, over real HTTP, the request sequence Safari/AVFoundation (iOS AVPlayer, macOS Safari) sends for a
 * progressive MP4, with the headers it sends. AVFoundation refuses media whose origin answers the `bytes=0-1`
 * probe with anything but a 206 carrying exactly 2 bytes and a truthful Content-Range, and it reads the rest with
 * explicit ranges it expects honoured exactly (RFC 9110 sections 14.1.2 and 14.4; see
 * docs/players.md). No Apple client runs on this machine: this replay is the stand-in.
 *
 * Control: every request of the replay is also sent, with the same headers, straight to the
 * S3-compatible server (a presigned GetObject URL, what an app playing from S3 hands AVPlayer), in the same test,
 * and must get the same exact answers.
 */
import { randomUUID } from 'node:crypto';
import { httpGet, type ViewerResult } from '../support/viewer-request.ts';
import { mediaBytes } from './support/paths.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

const key = 'sample.mp4';
const stored = mediaBytes(key);
const size = stored.length;

// The headers AVFoundation sends with each media request (its User-Agent is AppleCoreMedia/<version> (<device>)).
const appleCoreMediaHeaders = {
  'User-Agent': 'AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)',
  Accept: '*/*',
  'Accept-Encoding': 'identity',
  'Accept-Language': 'en-US,en;q=0.9',
  'X-Playback-Session-Id': randomUUID().toUpperCase(),
  Connection: 'keep-alive',
};

let stack: LocalStack;
let url: string;
let controlUrl: string;

beforeAll(async () => {
  stack = await startE2eStack();
  url = objectUrl(stack, key);
  controlUrl = await s3DirectUrl(stack, key);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

/** The same request straight from S3 (the control) and through the origin. */
async function get(range: string): Promise<{ control: ViewerResult; viaOrigin: ViewerResult }> {
  const headers = { ...appleCoreMediaHeaders, Range: range };
  const control = await httpGet(controlUrl, headers);
  return { control, viaOrigin: await httpGet(url, headers) };
}

/** Every answer AVFoundation gets must be an exact, unencoded 206 for the bytes it named. */
function expectExactPartial(response: ViewerResult, start: number, end: number): void {
  expect(response.status).toBe(206);
  expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
  expect(response.headers['content-type']).toBe('video/mp4');
  expect(response.headers['accept-ranges']).toBe('bytes');
  // Accept-Encoding: identity: any content coding would make the byte offsets meaningless.
  expect(response.headers['content-encoding'] ?? 'identity').toBe('identity');
  if (response.headers['content-length'] !== undefined) {
    expect(response.headers['content-length']).toBe(String(end - start + 1));
  }
  expect(response.body.length).toBe(end - start + 1);
  expect(response.body.equals(stored.subarray(start, end + 1))).toBe(true);
}

test('the bytes=0-1 probe gets a 206 with exactly 2 bytes and Content-Range bytes 0-1/size', async () => {
  // Act
  const probe = await get('bytes=0-1');

  // Assess
  expectExactPartial(probe.control, 0, 1);
  expectExactPartial(probe.viaOrigin, 0, 1);
}, 120_000);

test('the whole-file range bytes=0-(size-1) gets a 206 with every byte', async () => {
  // Act
  const whole = await get(`bytes=0-${size - 1}`);

  // Assess
  expectExactPartial(whole.control, 0, size - 1);
  expectExactPartial(whole.viaOrigin, 0, size - 1);
}, 120_000);

test('a tail range and a middle range get exactly the bytes they name', async () => {
  // Prepare
  const tailStart = size - 8192;
  const middleStart = Math.floor(size / 2) - 1000;
  const middleEnd = middleStart + 65_535;

  // Act
  const tail = await get(`bytes=${tailStart}-${size - 1}`);
  const middle = await get(`bytes=${middleStart}-${middleEnd}`);

  // Assess
  for (const run of ['control', 'viaOrigin'] as const) {
    expectExactPartial(tail[run], tailStart, size - 1);
    expectExactPartial(middle[run], middleStart, middleEnd);
  }
}, 120_000);

test('the full sequence (probe, whole, tail, middle) sees one stable validator and type', async () => {
  // Prepare: AVFoundation pins its cache entries to the validator; a change mid-sequence makes it restart.
  const ranges: ReadonlyArray<readonly [number, number]> = [
    [0, 1],
    [0, size - 1],
    [size - 4096, size - 1],
    [Math.floor(size / 3), Math.floor(size / 3) + 32_767],
  ];

  // Act
  const controls: ViewerResult[] = [];
  const responses: ViewerResult[] = [];
  for (const [start, end] of ranges) {
    const { control, viaOrigin } = await get(`bytes=${start}-${end}`);
    controls.push(control);
    responses.push(viaOrigin);
  }

  // Assess: from S3 as through the origin
  for (const answers of [controls, responses]) {
    answers.forEach((response, index) => {
      const [start, end] = ranges[index] ?? [0, 0];
      expectExactPartial(response, start, end);
    });
    const etags = new Set(answers.map((response) => response.headers.etag));
    expect(etags.size).toBe(1);
    expect([...etags][0]).toMatch(/^(W\/)?"[^"]*"$/);
  }
}, 120_000);
