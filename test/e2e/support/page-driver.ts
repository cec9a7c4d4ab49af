/**
 * The in-page helpers of page/player.js (window.e2e) reached from any browser driver: Playwright (Chromium),
 * puppeteer-core over WebDriver BiDi (Firefox) or plain W3C WebDriver (WebKitGTK). A driver only has to evaluate
 * an expression in the page and await the promise it yields; the arguments travel as JSON.
 */
import { expect } from '@jest/globals';
import type { MediaState, SeekResult } from './player.ts';

export interface PageDriver {
  /** Evaluates `expression` in the page and resolves with its (awaited) JSON value. */
  evaluate<T>(expression: string): Promise<T>;
}

export function callPage<T>(driver: PageDriver, method: string, ...args: readonly unknown[]): Promise<T> {
  return driver.evaluate<T>(`window.e2e.${method}(...${JSON.stringify(args)})`);
}

export interface PlayAndSeek {
  readonly started: MediaState;
  readonly seeks: readonly SeekResult[];
}

/**
 * The progressive-playback check: load, play, then seek to each fraction of the duration in turn (by default
 * 50% and 85%); each seek reports where it landed and how far playback moved after it.
 */
export async function playAndSeek(
  driver: PageDriver,
  src: string,
  kind: 'video' | 'audio',
  fractions: readonly number[] = [0.5, 0.85],
): Promise<PlayAndSeek> {
  const started = await callPage<MediaState>(driver, 'loadMedia', src, kind, 0.3);
  const seeks: SeekResult[] = [];
  for (const fraction of fractions) {
    seeks.push(await callPage<SeekResult>(driver, 'seekAndAdvance', started.duration * fraction, 0.25));
  }
  return { started, seeks };
}

/** A seek "lands" when `seeked` reports a time within this many seconds of the target. */
export const SEEK_TOLERANCE_SECONDS = 1.5;

/** The four kinds of progressive file every player in the matrix plays (media/). */
export const PROGRESSIVE_SAMPLES = [
  { key: 'sample.mp4', kind: 'video' },
  { key: 'sample-moov-at-end.mp4', kind: 'video' },
  { key: 'sample.webm', kind: 'video' },
  { key: 'sample.mp3', kind: 'audio' },
] as const;

/**
 * The samples the plain-GET clients (GStreamer, WebKitGTK) play: the progressive four and a 40 s MP3, the
 * length of a short clip or jingle. All are under SMALL_FILE_BYTES: a plain GET of audio or video must reach a
 * Content-Length (the 307 to S3) however small the object is.
 */
export const PLAIN_GET_SAMPLES = [...PROGRESSIVE_SAMPLES, { key: 'sample-40s.mp3', kind: 'audio' }] as const;

/** What the suites call a small file: 1 MiB. */
export const SMALL_FILE_BYTES = 1024 * 1024;

/** Played without a media error, and each seek landed within the tolerance with playback moving on after it. */
export function expectPlayedAndSeeked(result: PlayAndSeek): void {
  expect(result.started.error).toBeNull();
  expect(result.started.duration).toBeGreaterThan(5);
  for (const seek of result.seeks) {
    expect(Math.abs(seek.seekedAt - seek.target)).toBeLessThan(SEEK_TOLERANCE_SECONDS);
    expect(seek.advancedTo).toBeGreaterThan(seek.seekedAt);
  }
}
