/**
 * The local stack's demo page (its own origin) plays the sample from the Function URL in Chromium; the test
 * writes a screenshot of it playing to test-output/screenshots/demo-playing.png for a person to look at.
 * The decoded frame is also read back through a canvas: that only works when the media answer was CORS-approved
 * (a cross-origin frame without it taints the canvas and getImageData throws), and it proves real pixels arrived.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { requireTools } from '../support/require-tools.ts';
import { CHROMIUM } from '../support/tools/requirements.ts';
import { launchChromium, newUncachedPage } from './support/chromium.ts';
import { mediaBytes, screenshotDir } from './support/paths.ts';
import { type LocalStack, startE2eStack } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(CHROMIUM);

/** The parts of HTMLVideoElement the test touches (the project compiles without DOM types). */
interface VideoLike {
  muted: boolean;
  currentTime: number;
  readonly paused: boolean;
  readonly videoWidth: number;
  readonly videoHeight: number;
  play(): Promise<void>;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The parts of OffscreenCanvas the test touches. */
interface CanvasLike {
  getContext(kind: '2d'): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, width: number, height: number): { readonly data: Uint8ClampedArray };
  } | null;
}

let stack: LocalStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchChromium();
  page = await newUncachedPage(browser);
}, 60_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await stack?.close();
});

test('the demo page plays sample.mp4 from the Function URL; a screenshot of it playing is written', async () => {
  // Prepare
  const screenshot = join(screenshotDir, 'demo-playing.png');
  await mkdir(screenshotDir, { recursive: true });
  expect(new URL(stack.demoUrl).origin).not.toBe(new URL(stack.url).origin);
  await page.goto(stack.demoUrl);

  // The list offers whole media, HLS playlists and DASH manifests (each also as the HLS generated from it),
  // never the parts of a rendition.
  await page.locator('#items button .key', { hasText: /^sample\.mp4$/ }).waitFor();
  const listed = await page.locator('#items button .key').allTextContents();
  expect(listed).toEqual(
    expect.arrayContaining(['hls/fmp4/index.m3u8', 'dash/on-demand/manifest.mpd', 'dash/on-demand/manifest.mpd.m3u8']),
  );
  expect(listed.filter((key) => /\.m4s$|^dash\/.*\.mp4$|^hls\/byterange\/media\.mp4$/.test(key))).toEqual([]);

  // Act: pick the sample in the bucket list, start it, wait until it has played past 1.5 s.
  await page.locator('#items button .key', { hasText: /^sample\.mp4$/ }).click();
  const video = page.locator('#stage video');
  const playing = await video.evaluate(async (element) => {
    const el = element as unknown as VideoLike;
    el.muted = true;
    await el.play();
    await new Promise<void>((resolve) => {
      const onTime = () => {
        if (el.currentTime < 1.5) return;
        el.removeEventListener('timeupdate', onTime);
        resolve();
      };
      el.addEventListener('timeupdate', onTime);
    });
    return { currentTime: el.currentTime, paused: el.paused, width: el.videoWidth, height: el.videoHeight };
  });
  const frame = await video.evaluate((element) => {
    const el = element as unknown as VideoLike;
    const Canvas = Reflect.get(globalThis, 'OffscreenCanvas') as new (width: number, height: number) => CanvasLike;
    const context = new Canvas(el.videoWidth, el.videoHeight).getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(el, 0, 0);
    // Throws a SecurityError if the frame came from a cross-origin answer without CORS approval.
    const { data } = context.getImageData(0, 0, el.videoWidth, el.videoHeight);
    const colours = new Set<number>();
    for (let i = 0; i + 2 < data.length; i += 4 * 7) {
      colours.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
    }
    return { distinctColours: colours.size };
  });
  await page.locator('#probe', { hasText: '206' }).waitFor();
  // The live request log: the player's own requests, and the page's 2-byte range probe.
  await page.locator('#requests-body tr', { hasText: 'bytes=0-1' }).waitFor();
  const logged = await page
    .locator('#requests-body tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(
          (row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells,
          (c) => c.textContent,
        ),
      ),
    );
  await page.screenshot({ path: screenshot, fullPage: true });
  // Click and count in one task of the page, so no record streamed in meanwhile can add a row between the two.
  const rowsAfterClear = await page.locator('#requests-clear').evaluate((element) => {
    const button = element as unknown as {
      click(): void;
      ownerDocument: { querySelectorAll(selector: string): { length: number } };
    };
    button.click();
    return button.ownerDocument.querySelectorAll('#requests-body tr').length;
  });

  // Assess
  expect(playing.paused).toBe(false);
  expect(playing.currentTime).toBeGreaterThanOrEqual(1.5);
  expect({ width: playing.width, height: playing.height }).toEqual({ width: 320, height: 180 });
  expect(frame.distinctColours).toBeGreaterThan(50);
  expect(await page.locator('#probe').textContent()).toContain(`bytes 0-1/${mediaBytes('sample.mp4').length}`);
  expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
  expect(rowsAfterClear).toBe(0);
  // Columns: time, method, path, range, status, Content-Range, bytes, TTFB, duration, client.
  const size = mediaBytes('sample.mp4').length;
  const sampleRows = logged.filter((cells) => cells[2] === '/sample.mp4');
  const probeRow = sampleRows.find((cells) => cells[3] === 'bytes=0-1');
  expect(probeRow?.slice(4, 7)).toEqual(['206', `bytes 0-1/${size}`, '2']);
  // Chromium's media element asks with an open-ended Range from 0 and gets a 206 telling the truth.
  const playerRows = sampleRows.filter((cells) => cells[3]?.startsWith('bytes=0-') && cells[3] !== 'bytes=0-1');
  expect(playerRows.length).toBeGreaterThan(0);
  for (const cells of playerRows) {
    expect(cells[1]).toBe('GET');
    expect(cells[4]).toMatch(/^206/);
    expect(cells[5]).toMatch(new RegExp(`^bytes 0-\\d+/${size}$`));
    expect(cells[9]).toBe('Chrome');
  }
}, 120_000);

/** Picks `key` in the bucket list and waits until the staged <video> has played past `seconds`. */
async function pickAndPlay(key: string, seconds: number) {
  const exactly = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const atTheEnd = new RegExp(`/${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.locator('#items button .key', { hasText: exactly }).click();
  // The page swaps in a new element once the previous player is torn down; its URL shows at the same moment.
  await page.locator('#item-url', { hasText: atTheEnd }).waitFor();
  const video = page.locator('#stage video');
  return video.evaluate(
    async (element, [until, picked]) => {
      const el = element as unknown as VideoLike & { readonly readyState: number };
      el.muted = true;
      // Resolves when `done()` holds on one of `events`; a guard turns a stall into a descriptive failure.
      const when = (events: readonly string[], done: () => boolean, what: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!done()) return;
            finish();
            resolve();
          };
          const guard = setTimeout(() => {
            finish();
            reject(new Error(`${picked}: no ${what} (readyState ${el.readyState}, at ${el.currentTime} s)`));
          }, 30_000);
          const finish = () => {
            clearTimeout(guard);
            for (const name of events) el.removeEventListener(name, check);
          };
          for (const name of events) el.addEventListener(name, check);
          check();
        });
      // The MSE players (Shaka, hls.js) attach a source only after loading the manifest.
      await when(['loadedmetadata'], () => el.readyState >= 1, 'metadata');
      await el.play();
      await when(['timeupdate'], () => el.currentTime >= until, `playback past ${until} s`);
      return { currentTime: el.currentTime, width: el.videoWidth, height: el.videoHeight };
    },
    [seconds, key] as const,
  );
}

test('the demo page plays a DASH manifest in Shaka Player and the HLS generated from it, shows that playlist, and a screenshot is written', async () => {
  // Prepare
  await page.goto(stack.demoUrl);
  await page.locator('#items button .key', { hasText: /^dash\/on-demand\/manifest\.mpd$/ }).waitFor();

  // Act
  const dash = await pickAndPlay('dash/on-demand/manifest.mpd', 1.5);
  const dashManifest = await page.locator('#manifest-text').textContent();
  const control = await pickAndPlay('hls-control/master.m3u8', 1.5);
  const hls = await pickAndPlay('dash/on-demand/manifest.mpd.m3u8', 1.5);
  await page.locator('#manifest-text', { hasText: '#EXTM3U' }).waitFor();
  const generated = await page.locator('#manifest-text').textContent();
  const caption = await page.locator('#manifest-title').textContent();
  await page.screenshot({ path: join(screenshotDir, 'demo-hls-from-dash.png'), fullPage: true });

  // Assess: the MPD played in Shaka and its text was shown.
  expect(dash.currentTime).toBeGreaterThanOrEqual(1.5);
  expect(dash.width).toBeGreaterThan(0);
  expect(dashManifest).toContain('<MPD');
  // Assess: the offline-packaged HLS of the same streams played (the control), and so did the generated HLS,
  // whose text the page shows as fetched from the origin.
  expect(control.currentTime).toBeGreaterThanOrEqual(1.5);
  expect(hls.currentTime).toBeGreaterThanOrEqual(1.5);
  expect(hls.width).toBeGreaterThan(0);
  expect(caption).toBe('Generated playlist');
  expect(generated?.startsWith('#EXTM3U')).toBe(true);
  expect(generated).toMatch(/^#EXT-X-STREAM-INF:/m);
}, 120_000);
