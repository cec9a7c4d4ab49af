/**
 * Private media end to end in Chromium through the local stack started with a signing key: the demo
 * page (its own origin) mints short-lived CloudFront signed URLs and signed cookies with the dev key and plays
 * from the Function URL cross-origin. A signed MP4 plays and seeks; an expired signed URL gets 403; an HLS
 * rendition plays on signed cookies (hls.js with credentials; the function answers with
 * Access-Control-Allow-Credentials and the page's exact origin). Controls: the same media straight from the
 * S3-compatible server by presigned S3 URL, in the same run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl as presignS3 } from '@aws-sdk/s3-request-presigner';
import type { Page } from 'playwright-core';
import { requireTools } from '../support/require-tools.ts';
import { CHROMIUM } from '../support/tools/requirements.ts';
import { chromiumForSuite, newUncachedPage } from './support/chromium.ts';
import { hlsJsPath, mediaBytes } from './support/paths.ts';
import { type ResponseLog, recordResponses } from './support/response-log.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(CHROMIUM);

interface Played {
  readonly currentTime: number;
  readonly duration: number;
}
/** window.privateDemo of local/demo/public/private.js (the project compiles without DOM types). */
interface PrivateDemo {
  readonly privateDemo: {
    readonly mediaBaseUrl: string;
    signedUrl(key: string, ttl?: number): Promise<string>;
    signCookies(prefix: string, ttl?: number): Promise<unknown>;
    playMp4(url: string): Promise<Played>;
    seekMp4(target: number): Promise<{ currentTime: number }>;
    playHls(url: string): Promise<Played>;
    statusOf(url: string): Promise<number>;
    readonly hlsErrors: unknown[];
  };
}

const keyDir = mkdtempSync(join(tmpdir(), 'media-origin-signing-'));
const PLAYLIST = 'hls/fmp4/index.m3u8';
let stack: LocalStack;
const chromium = chromiumForSuite();

beforeAll(async () => {
  stack = await startE2eStack({ signingKeyDir: keyDir });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

async function demoPage(): Promise<{ page: Page; log: ResponseLog }> {
  const page = await chromium.newPage();
  const log = recordResponses(page, new URL(stack.url).origin);
  await page.goto(`${stack.demoUrl}private.html?manual`);
  await page.waitForFunction(() => (globalThis as unknown as Partial<PrivateDemo>).privateDemo !== undefined);
  return { page, log };
}

type Api = PrivateDemo['privateDemo'];
type Result<K extends keyof Api> = Api[K] extends (...args: never[]) => infer R ? Awaited<R> : Api[K];

/** Calls window.privateDemo[name](...args) in the page. */
function call<K extends keyof Api>(p: Page, name: K, ...args: Array<string | number>): Promise<Result<K>> {
  return p.evaluate(
    ([method, values]) => {
      const api = (globalThis as unknown as PrivateDemo).privateDemo as unknown as Record<string, unknown>;
      const member = api[method];
      return typeof member === 'function' ? member(...values) : member;
    },
    [name, args] as const,
  ) as Promise<Result<K>>;
}

/** Plays `url` in a fresh <video> without crossorigin (the control: S3 sends no CORS), then seeks to the middle. */
function playPlainVideo(p: Page, url: string): Promise<{ started: number; seekedTo: number; duration: number }> {
  return p.evaluate(async (src) => {
    const doc = Reflect.get(globalThis, 'document') as {
      createElement(tag: string): Record<string, unknown> & {
        play(): Promise<void>;
        addEventListener(type: string, listener: () => void, options?: unknown): void;
      };
      body: { append(node: unknown): void };
    };
    const video = doc.createElement('video');
    video.muted = true;
    video.src = src;
    doc.body.append(video);
    const until = (predicate: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (video.error) reject(new Error(`media error ${String((video.error as { code: number }).code)}`));
          else if (predicate()) resolve();
          else if (Date.now() - started > 20_000) reject(new Error('timed out'));
          else setTimeout(check, 50);
        };
        check();
      });
    await video.play();
    await until(() => (video.currentTime as number) > 0.3);
    const started = video.currentTime as number;
    const duration = video.duration as number;
    video.currentTime = duration / 2;
    await until(() => !video.seeking && (video.currentTime as number) > duration / 2 + 0.2);
    return { started, seekedTo: video.currentTime as number, duration };
  }, url);
}

test('a signed MP4 URL plays and seeks (control: the same file by presigned S3 URL)', async () => {
  // Prepare
  const { page: p, log } = await demoPage();
  const control = await presignS3(
    stack.s3.client,
    new GetObjectCommand({ Bucket: stack.s3.bucket, Key: 'sample.mp4' }),
    {
      expiresIn: 300,
    },
  );

  // Act
  const url = await call(p, 'signedUrl', 'sample.mp4', 120);
  const started = await call(p, 'playMp4', url);
  const seeked = await call(p, 'seekMp4', started.duration / 2);
  const controlPlay = await playPlainVideo(p, control);
  await log.settle();

  // Assess: playback moved, the seek landed; every answer from the function was a CORS-approved 206.
  expect(url).toMatch(/[?&]Expires=\d+&Key-Pair-Id=KLOCAL[0-9A-F]+&Signature=/);
  expect(started.currentTime).toBeGreaterThan(0.3);
  expect(seeked.currentTime).toBeGreaterThan(started.duration / 2);
  // (sample.mp4 is smaller than the open-range cap: Chromium may get it all in its first 206 and seek in its buffer.)
  const answers = log.forPath('/sample.mp4');
  expect(answers.length).toBeGreaterThanOrEqual(1);
  for (const answer of answers) {
    expect(answer.status).toBe(206);
    expect(answer.headers['access-control-allow-origin']).toBe(new URL(stack.demoUrl).origin);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
  }
  expect(controlPlay.started).toBeGreaterThan(0.3);
  expect(controlPlay.seekedTo).toBeGreaterThan(controlPlay.duration / 2);
  expect(Math.abs(controlPlay.duration - started.duration)).toBeLessThan(0.1);
}, 90_000);

test('an expired signed URL gets 403 (control: the same URL answered 206 before it expired)', async () => {
  // Prepare
  const { page: p } = await demoPage();
  const url = await call(p, 'signedUrl', 'sample.mp4', 2);

  // Act
  const before = await call(p, 'statusOf', url);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = await call(p, 'statusOf', url);
  const playError = await call(p, 'playMp4', url).then(
    () => 'played',
    (error: Error) => error.message,
  );

  // Assess
  expect(before).toBe(206);
  expect(after).toBe(403);
  // The element refuses the 403 (play() rejects with NotSupportedError, or the element reports a media error).
  expect(playError).toMatch(/no supported source|media error/);
}, 60_000);

test('an HLS rendition plays on signed cookies (control: the same rendition straight from S3)', async () => {
  // Prepare
  const { page: p, log } = await demoPage();
  const playlistUrl = objectUrl(stack, PLAYLIST);
  const withoutCookies = await call(p, 'statusOf', playlistUrl);

  // Act
  await call(p, 'signCookies', 'hls/fmp4/', 120);
  const played = await call(p, 'playHls', playlistUrl);
  const otherRendition = await call(p, 'statusOf', objectUrl(stack, 'hls/byterange/index.m3u8'));
  const errors = await call(p, 'hlsErrors');
  await log.settle();

  // Assess: 403 before the cookies, playback with them, and only for the prefix they were signed for.
  expect(withoutCookies).toBe(403);
  expect(played.currentTime).toBeGreaterThan(0.3);
  expect(errors).toEqual([]);
  expect(otherRendition).toBe(403);
  const [playlist] = log.forPath(`/${PLAYLIST}`).filter((record) => record.status === 200);
  expect((await playlist?.body())?.equals(mediaBytes(PLAYLIST))).toBe(true);
  expect(log.forPath('/hls/fmp4/segment-000.m4s').some((record) => record.status === 200)).toBe(true);

  // Control: a page stored in the bucket plays the same rendition from S3 (same origin, so S3 needs no CORS).
  const controlPage = await newUncachedPage(chromium.browser());
  try {
    const put = (Key: string, Body: string | Buffer, ContentType: string) =>
      stack.s3.client.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key, Body, ContentType }));
    await put('e2e-control/hls.min.js', readFileSync(hlsJsPath), 'text/javascript');
    await put(
      'e2e-control/hls.html',
      '<!doctype html><video muted></video><script src="hls.min.js"></script>',
      'text/html; charset=utf-8',
    );
    const presignedPlaylist = await presignS3(
      stack.s3.client,
      new GetObjectCommand({ Bucket: stack.s3.bucket, Key: PLAYLIST }),
      { expiresIn: 300 },
    );
    await controlPage.goto(`${stack.s3.endpoint}/${stack.s3.bucket}/e2e-control/hls.html`);
    const control = await controlPage.evaluate(async (src) => {
      const g = globalThis as unknown as {
        Hls: new () => {
          loadSource(url: string): void;
          attachMedia(el: unknown): void;
          on(event: string, cb: (e: unknown, data: { fatal: boolean; details: string }) => void): void;
        };
        document: { querySelector(selector: string): { play(): Promise<void>; currentTime: number } };
      };
      const video = g.document.querySelector('video');
      const hls = new g.Hls();
      const failed = new Promise<never>((_, reject) =>
        hls.on('hlsError', (_e, data) => data.fatal && reject(new Error(data.details))),
      );
      hls.loadSource(src);
      hls.attachMedia(video);
      await Promise.race([new Promise((resolve) => hls.on('hlsManifestParsed', resolve)), failed]);
      await video.play();
      const deadline = Date.now() + 20_000;
      while (video.currentTime <= 0.3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return video.currentTime;
    }, presignedPlaylist);
    expect(control).toBeGreaterThan(0.3);
  } finally {
    await controlPage.close();
  }
}, 90_000);
