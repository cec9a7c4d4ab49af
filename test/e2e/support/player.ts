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
}

interface PageApi {
  readonly e2e: {
    loadMedia(src: string, kind: 'video' | 'audio', minAdvance: number): Promise<MediaState>;
    loadHls(src: string, minAdvance: number): Promise<MediaState>;
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

export function loadHls(page: Page, src: string, minAdvance = 0.3): Promise<MediaState> {
  return page.evaluate(([s, m]) => (globalThis as unknown as PageApi).e2e.loadHls(s, m), [src, minAdvance] as const);
}

export function seekAndAdvance(page: Page, target: number, minAdvance = 0.25): Promise<SeekResult> {
  return page.evaluate(([t, m]) => (globalThis as unknown as PageApi).e2e.seekAndAdvance(t, m), [
    target,
    minAdvance,
  ] as const);
}

export function hlsErrors(page: Page): Promise<HlsErrorRecord[]> {
  return page.evaluate(() => (globalThis as unknown as PageApi).e2e.hlsErrors());
}

export function fetchRange(page: Page, url: string, range: string): Promise<FetchedRange> {
  return page.evaluate(([u, r]) => (globalThis as unknown as PageApi).e2e.fetchRange(u, r), [url, range] as const);
}
