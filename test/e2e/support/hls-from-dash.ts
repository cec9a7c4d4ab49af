/**
 * The HLS the origin generates from the stored DASH of media/dash/ (addressing: `<mpd key>.m3u8` is the
 * multivariant playlist, `<mpd key>.<encodeURIComponent(Representation id)>.m3u8` one representation's media
 * playlist, `<mp4 key>.m3u8` the media playlist of one stored fragmented MP4), and its control: the same coded
 * streams packaged offline as byte-range HLS in media/hls-control/ (see its README), played straight from the
 * S3-compatible server. Shared by the browser, ffmpeg and GStreamer suites.
 */
import { existsSync } from 'node:fs';
import { expect } from '@jest/globals';
import { expectExactAnswers, keyOf, type RangeSummary, type RecordedRequest } from './exact-answers.ts';
import { callPage, type PageDriver, type PlayAndSeek } from './page-driver.ts';
import { mediaPath } from './paths.ts';
import { type HlsErrorRecord, isHlsSelfAbort, type MediaState, type SeekResult } from './player.ts';

/** What an HLS client needs (RFC 8216 section 3.3; IANA: video/iso.segment) for every key a play touches. */
export const HLS_FROM_DASH_TYPES: Readonly<Record<string, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  mp4: 'video/mp4',
  m4s: 'video/iso.segment',
};

export const DASH_RENDITIONS = ['on-demand', 'template'] as const;
export type DashRendition = (typeof DASH_RENDITIONS)[number];

/** The DASH Representation ids of media/dash/ (0 and 1 video, 2 audio); ffmpeg's %v in media/hls-control. */
export const AUDIO_REPRESENTATION = '2';

export interface HlsFromDashCase {
  readonly rendition: DashRendition;
  /** What is played: the multivariant playlist (video with audio), or one representation's media playlist. */
  readonly content: 'video+audio' | 'audio';
  /** The generated playlist's key on the origin (never stored). */
  readonly generated: string;
  /** The offline-packaged equivalent, stored in the bucket (media/hls-control/). */
  readonly control: string;
}

export const CONTROL_DIR = 'hls-control';

/** The generated playlist of a DASH rendition (multivariant) or of one of its representations. */
export function generatedKey(rendition: DashRendition, representation?: string): string {
  const mpd = `dash/${rendition}/manifest.mpd`;
  return representation === undefined ? `${mpd}.m3u8` : `${mpd}.${encodeURIComponent(representation)}.m3u8`;
}

export function hlsFromDashCases(): HlsFromDashCase[] {
  return DASH_RENDITIONS.flatMap((rendition) => [
    { rendition, content: 'video+audio', generated: generatedKey(rendition), control: `${CONTROL_DIR}/master.m3u8` },
    {
      rendition,
      content: 'audio',
      generated: generatedKey(rendition, AUDIO_REPRESENTATION),
      control: `${CONTROL_DIR}/stream-${AUDIO_REPRESENTATION}.m3u8`,
    },
  ]);
}

/** A key the bucket holds (media/ is what the local stack seeds it with). */
export function isStored(key: string): boolean {
  return existsSync(mediaPath(key));
}

export type HlsEngine = 'hlsjs' | 'shaka';

export interface HlsPlay extends PlayAndSeek {
  readonly requests: readonly RecordedRequest[];
  /**
   * Player errors: every Shaka error, every fatal hls.js error and every hls.js network error except hls.js
   * cancelling its own loads on a seek (isHlsSelfAbort in player.ts).
   */
  readonly errors: readonly unknown[];
  /**
   * hls.js's non-fatal media notices (a gap jumped, a stall nudged, an append that did not grow the buffer):
   * hls.js reports its own recoveries as non-fatal `mediaError`s (src/controller/gap-controller.ts,
   * buffer-controller.ts), and the offline control raises them too; the tests log them.
   */
  readonly notices: readonly HlsErrorRecord[];
}

const isMediaNotice = (error: HlsErrorRecord): boolean => error.type === 'mediaError' && !error.fatal;

/**
 * Plays `src` with hls.js (page index.html, `loadHls`) or Shaka Player's HLS parser (page dash.html, `loadDash`:
 * Shaka picks its HLS parser from the `.m3u8` path), then seeks to 50% and 85% of the duration.
 */
export async function playHls(
  driver: PageDriver,
  engine: HlsEngine,
  src: string,
  rewrite: Readonly<Record<string, string>> = {},
): Promise<HlsPlay> {
  const started =
    engine === 'hlsjs'
      ? await callPage<MediaState>(driver, 'loadHls', src, rewrite, 0.3)
      : await callPage<MediaState>(driver, 'loadDash', src, 'shaka', rewrite, 0.3);
  const seeks: SeekResult[] = [];
  for (const fraction of [0.5, 0.85]) {
    seeks.push(await callPage<SeekResult>(driver, 'seekAndAdvance', started.duration * fraction, 0.25));
  }
  const requests = await driver.evaluate<RecordedRequest[]>('window.e2eRequests.settle()');
  if (engine === 'shaka') {
    return { started, seeks, requests, errors: await callPage<unknown[]>(driver, 'dashErrors'), notices: [] };
  }
  const reported = await callPage<HlsErrorRecord[]>(driver, 'hlsErrors');
  return {
    started,
    seeks,
    requests,
    errors: reported.filter((error) => !isHlsSelfAbort(error) && !isMediaNotice(error)),
    notices: reported.filter(isMediaNotice),
  };
}

export interface GeneratedSummary extends RangeSummary {
  /** Keys of the generated playlists fetched (never stored: the origin built them). */
  readonly generated: readonly string[];
}

/**
 * Every request went to `base`; the generated playlists (keys the bucket does not hold) were answered 200 with
 * the HLS type, and every stored object exactly (expectExactAnswers: the asked bytes, the right type).
 */
export function expectGeneratedAndExact(requests: readonly RecordedRequest[], base: string): GeneratedSummary {
  const generated: string[] = [];
  const stored: RecordedRequest[] = [];
  for (const request of requests) {
    const key = keyOf(request.url, base);
    if (key === undefined || isStored(key)) {
      stored.push(request);
      continue;
    }
    expect({ key, status: request.status, contentType: request.contentType, range: request.range }).toEqual({
      key,
      status: 200,
      contentType: HLS_FROM_DASH_TYPES.m3u8,
      range: null,
    });
    generated.push(key);
  }
  expect(generated.length).toBeGreaterThan(0);
  return { generated, ...expectExactAnswers(stored, base, HLS_FROM_DASH_TYPES) };
}

export interface FetchedPlaylist {
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly cacheControl: string | null;
  readonly text: string;
}

/** The URIs a playlist names: lines that are not tags, and URI="..." attributes (EXT-X-MEDIA, EXT-X-MAP). */
export function namedUris(text: string): string[] {
  const uris: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('#')) uris.push(line);
    else for (const match of line.matchAll(/URI="([^"]*)"/g)) uris.push(match[1] ?? '');
  }
  return uris;
}

/**
 * A playlist and, for a multivariant one, every media playlist it names (fetched over HTTP from Node, resolving
 * URIs against the playlist's URL as RFC 8216 section 4.1 says). Media playlists come in the order named.
 */
export async function fetchPlaylistTree(url: string): Promise<FetchedPlaylist[]> {
  const get = async (target: string): Promise<FetchedPlaylist> => {
    const response = await fetch(target);
    return {
      url: target,
      status: response.status,
      contentType: response.headers.get('content-type'),
      cacheControl: response.headers.get('cache-control'),
      text: await response.text(),
    };
  };
  const top = await get(url);
  if (!/^#EXT-X-STREAM-INF:/m.test(top.text)) return [top];
  const children = namedUris(top.text).map((uri) => new URL(uri, url).href);
  return [top, ...(await Promise.all([...new Set(children)].map(get)))];
}

/** A media playlist's segments: count and total EXTINF duration (seconds). */
export function mediaTimeline(text: string): { readonly segments: number; readonly seconds: number } {
  const durations = [...text.matchAll(/^#EXTINF:([\d.]+)/gm)].map((match) => Number(match[1]));
  return { segments: durations.length, seconds: durations.reduce((sum, value) => sum + value, 0) };
}

/** Relative URIs only (the contract): no scheme, no authority, no absolute path. */
export function expectRelativeUris(playlist: FetchedPlaylist): void {
  for (const uri of namedUris(playlist.text)) {
    expect({ playlist: playlist.url, uri, relative: !/^[a-z][a-z0-9+.-]*:|^\//i.test(uri) }).toEqual({
      playlist: playlist.url,
      uri,
      relative: true,
    });
  }
}

/**
 * The generated tree against the control's: both valid HLS (#EXTM3U), the generated one served as HLS with
 * relative URIs, and media playlists with the same numbers of segments (both cut the same streams at the same
 * keyframes) covering the same time within 0.05 s (ffmpeg's DASH and HLS muxers cut the audio a few AAC frames
 * apart: the DASH file's first audio segment lasts 1.927 s after its edit list trims the encoder delay, the
 * control's 2.020 s), compared as sorted lists because the two packagers may name the variants in another order.
 */
export function expectSameTimelines(generated: readonly FetchedPlaylist[], control: readonly FetchedPlaylist[]): void {
  for (const playlist of [...generated, ...control]) {
    expect({ url: playlist.url, status: playlist.status, head: playlist.text.slice(0, 7) }).toEqual({
      url: playlist.url,
      status: 200,
      head: '#EXTM3U',
    });
  }
  for (const playlist of generated) {
    expect({ url: playlist.url, type: playlist.contentType }).toEqual({
      url: playlist.url,
      type: HLS_FROM_DASH_TYPES.m3u8,
    });
    expectRelativeUris(playlist);
  }
  const timelines = (tree: readonly FetchedPlaylist[]) =>
    tree
      .filter((playlist) => /^#EXTINF:/m.test(playlist.text))
      .map((playlist) => mediaTimeline(playlist.text))
      .sort((a, b) => a.segments - b.segments || a.seconds - b.seconds);
  const ours = timelines(generated);
  const theirs = timelines(control);
  expect(ours.map((timeline) => timeline.segments)).toEqual(theirs.map((timeline) => timeline.segments));
  ours.forEach((timeline, index) => {
    expect(Math.abs(timeline.seconds - (theirs[index]?.seconds ?? Number.NaN))).toBeLessThan(0.05);
  });
}
