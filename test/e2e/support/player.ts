/**
 * Typed Node-side wrappers around the in-page helpers of page/player.js (window.e2e). The project compiles
 * without DOM types, so the page is reached through this small interface instead of `document` in tests.
 */
import type { Page } from 'playwright-core';

export interface MediaState {
  readonly currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  readonly ended: boolean;
  readonly readyState: number;
  readonly networkState: number;
  readonly error: { readonly code: number; readonly message: string } | null;
  readonly buffered: ReadonlyArray<readonly [number, number]>;
}

export interface SeekResult {
  readonly target: number;
  /** currentTime when `seeked` fired. */
  readonly seekedAt: number;
  /** currentTime once playback had moved on (or the element ended). */
  readonly advancedTo: number;
  readonly ended: boolean;
}

export interface FetchedRange {
  readonly status: number;
  /** What CORS lets the page read: null when the header is missing or not exposed. */
  readonly headers: Readonly<
    Record<'content-range' | 'content-length' | 'accept-ranges' | 'etag' | 'content-type', string | null>
  >;
  /** The first 64 body bytes. */
  readonly bytes: readonly number[];
  readonly byteLength: number;
}

export interface HlsErrorRecord {
  readonly type: string;
  readonly details: string;
  readonly fatal: boolean;
  readonly url: string | null;
  /** hls.js's own description of the error (its `error.message`), for a failing test's output. */
  readonly message: string | null;
  /** The media element's currentTime and paused when hls.js reported it. */
  readonly currentTime: number;
  readonly paused: boolean;
  /** For a stall: the seconds of media buffered ahead of the playhead when hls.js reported it. */
  readonly bufferAhead: number | null;
}

interface PageApi {
  readonly e2e: {
    loadMedia(src: string, kind: 'video' | 'audio', minAdvance: number): Promise<MediaState>;
    loadHls(src: string, rewrite: Readonly<Record<string, string>>, minAdvance: number): Promise<MediaState>;
    seekAndAdvance(target: number, minAdvance: number): Promise<SeekResult>;
    state(): MediaState | null;
    hlsErrors(): HlsErrorRecord[];
    fetchRange(url: string, range: string): Promise<FetchedRange>;
  };
}

export function loadMedia(page: Page, src: string, kind: 'video' | 'audio', minAdvance = 0.3): Promise<MediaState> {
  return page.evaluate(([s, k, m]) => (globalThis as unknown as PageApi).e2e.loadMedia(s, k, m), [
    src,
    kind,
    minAdvance,
  ] as const);
}

/**
 * Loads `src` with hls.js. `rewrite` maps a request URL without its query (origin + path) to the URL to fetch
 * instead (the S3 control's presigned URLs, see presignedRewrite in s3-direct.ts).
 */
export function loadHls(
  page: Page,
  src: string,
  rewrite: Readonly<Record<string, string>> = {},
  minAdvance = 0.3,
): Promise<MediaState> {
  return page.evaluate(([s, r, m]) => (globalThis as unknown as PageApi).e2e.loadHls(s, r, m), [
    src,
    rewrite,
    minAdvance,
  ] as const);
}

export function seekAndAdvance(page: Page, target: number, minAdvance = 0.25): Promise<SeekResult> {
  return page.evaluate(([t, m]) => (globalThis as unknown as PageApi).e2e.seekAndAdvance(t, m), [
    target,
    minAdvance,
  ] as const);
}

/**
 * hls.js cancelling a load of its own, which it reports as a non-fatal error event. In hls.js 1.7.4 (the version
 * in package.json) `ErrorDetails.INTERNAL_ABORTED = 'aborted'` is "an internal call to abort a loader"
 * (src/errors.ts:101-102). A loader's `onAbort` callback runs only from `BaseLoader.abort()`
 * (src/utils/base-loader.ts:46-55), which hls.js itself calls, and the fragment loader turns it into
 * `{ type: networkError, details: 'aborted', fatal: false }` (src/loader/fragment-loader.ts:133-146, 280-294).
 * It calls it when a seek leaves the fragment in flight behind (`onMediaSeeking` -> `fragCurrent.abortRequests()`,
 * src/controller/base-stream-controller.ts:398-445, src/loader/fragment.ts:397-399), and raises the same details
 * when an init section arrives after playback has moved to another (`_loadInitSegment`, base-stream-controller.ts
 * 741-751); `handleFragLoadError` (same file, 1245-1267) re-emits both as Events.ERROR. Nothing the server does
 * produces it: a failed or cut answer reaches `onError` (fragLoadError, levelLoadError: src/utils/xhr-loader.ts
 * 171-235) and a stalled one `onTimeout` (fragLoadTimeout: base-loader.ts 57-74), both still failures here.
 */
export function isHlsSelfAbort(error: HlsErrorRecord): boolean {
  return error.type === 'networkError' && error.details === 'aborted' && !error.fatal;
}

/**
 * Media buffered ahead of the playhead from which a stall cannot be a delivery problem: at least this many
 * seconds of the stream were already in the element. A late, slow or cut answer stalls playback only once the
 * playhead has reached the end of what arrived (nothing ahead); one second is ten times hls.js's own tolerance
 * for "buffered here" (`maxBufferHole`, 0.1 s, src/config.ts).
 */
export const STALL_BUFFER_AHEAD_SECONDS = 1;

/**
 * hls.js's playhead watchdog firing while the media was there: a non-fatal `bufferStalledError` reported with at
 * least STALL_BUFFER_AHEAD_SECONDS buffered ahead. hls.js 1.7.4 reports a stall when the element is playing (not
 * paused, not seeking) and currentTime has not moved for `detectStallWithCurrentTimeMs` (1250 ms, src/config.ts),
 * a wall-clock check (`GapController.poll`, src/controller/gap-controller.ts:303-344, `_reportStall` 546-567,
 * with `buffer: bufferInfo.len`). On a loaded machine Chromium's media pipeline can take longer than that to
 * start or resume rendering with seconds of media already buffered, straight from S3 as through the origin.
 * A stall with less buffered ahead (the buffer ran out) and a fatal stall are still failures.
 */
export function isHlsStallWithMediaBuffered(error: HlsErrorRecord): boolean {
  return (
    error.type === 'mediaError' &&
    error.details === 'bufferStalledError' &&
    !error.fatal &&
    (error.bufferAhead ?? 0) >= STALL_BUFFER_AHEAD_SECONDS
  );
}

/** The media element's state now (null before anything was loaded). */
export function mediaState(page: Page): Promise<MediaState | null> {
  return page.evaluate(() => (globalThis as unknown as PageApi).e2e.state());
}

export function hlsErrors(page: Page): Promise<HlsErrorRecord[]> {
  return page.evaluate(() => (globalThis as unknown as PageApi).e2e.hlsErrors());
}

export function fetchRange(page: Page, url: string, range: string): Promise<FetchedRange> {
  return page.evaluate(([u, r]) => (globalThis as unknown as PageApi).e2e.fetchRange(u, r), [url, range] as const);
}
