/**
 * Signed URLs reach every segment: a playlist (generated or stored) opened with a custom-policy signed URL
 * whose wildcard Resource covers its URIs is answered with the token on each URI, `private, no-store`; a canned
 * token (one exact URL) leaves the URIs bare. Every tokenized URI is then fetched and must be admitted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { MEDIA_ROOT } from '../support/hls-fixture-reader.ts';
import { checkPlaylist } from '../support/hls-rfc8216.ts';
import {
  cannedUrl,
  customPolicy,
  customUrl,
  rawPathOf,
  rawQueryOf,
  signingKeysJson,
  testKeyPair,
} from '../support/signing-keys.ts';
import { dashOnDemandObjects, fakeS3EachTest, type LoadedHandler, loadHandler } from './handler-harness.ts';

const HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
const BASE = `https://${HOST}`;
const pair = testKeyPair('K2JCJMDEHXQW5F');
const lastModified = new Date('2025-03-04T05:06:07Z');
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

const objects = dashOnDemandObjects(lastModified);
objects.set('hls/byterange/index.m3u8', {
  body: Buffer.from(
    `${readFileSync(path.join(MEDIA_ROOT, 'hls/byterange/index.m3u8'), 'utf8').replace('#EXT-X-ENDLIST', '#EXTINF:2,\nhttps://elsewhere.example/ad.mp4\n#EXT-X-ENDLIST')}`,
  ),
  etag: '"stored-playlist"',
  lastModified,
});
objects.set('hls/byterange/media.mp4', {
  body: readFileSync(path.join(MEDIA_ROOT, 'hls/byterange/media.mp4')),
  etag: '"m"',
  lastModified,
});

let loaded: LoadedHandler;
const serve = fakeS3EachTest(objects);

beforeAll(async () => {
  loaded = await loadHandler({ REQUIRE_SIGNED_REQUESTS: 'true', SIGNING_PUBLIC_KEYS: signingKeysJson(pair) });
});

function eventFor(url: string, headers: Record<string, string> = {}): LambdaFunctionURLEvent {
  return functionUrlEvent({ path: rawPathOf(url), query: rawQueryOf(url), headers });
}

const signingParameters = (url: string): string[] =>
  [...new URL(url).searchParams.keys()].filter((name) => ['Policy', 'Signature', 'Key-Pair-Id'].includes(name)).sort();

describe('custom policy with a wildcard Resource', () => {
  test('generated playlists carry the token on every URI, down to each segment byte range, all admitted', async () => {
    // Prepare
    serve();
    const policy = customPolicy({ resource: `${BASE}/dash/on-demand/*`, dateLessThan: inAnHour() });
    const signed = customUrl(pair, `${BASE}/dash/on-demand/manifest.mpd.m3u8`, policy);

    // Act
    const multivariant = await loaded.invoke(eventFor(signed));

    // Assess
    expect(multivariant.statusCode).toBe(200);
    expect(multivariant.headers['cache-control']).toBe('private, no-store');
    const checked = checkPlaylist(multivariant.body.toString('utf8'));
    expect(checked.violations).toEqual([]);
    const mediaUris = [
      ...checked.variants.map((variant) => variant.uri),
      ...checked.renditions.map((rendition) => (rendition.URI ?? '').slice(1, -1)),
    ];
    for (const uri of mediaUris) {
      const url = new URL(uri, signed).href;
      expect(signingParameters(url)).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
      const media = await loaded.invoke(eventFor(url));
      expect(media.statusCode).toBe(200);
      expect(media.headers['cache-control']).toBe('private, no-store');
      const playlist = checkPlaylist(media.body.toString('utf8'));
      expect(playlist.violations).toEqual([]);
      const first = playlist.segments[0];
      if (first?.byteRange === undefined || playlist.map === undefined) throw new Error('no segments');
      for (const target of [playlist.map.uri, first.uri]) {
        expect(signingParameters(new URL(target, url).href)).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
      }
      const { offset, length } = first.byteRange;
      const segment = await loaded.invoke(
        eventFor(new URL(first.uri, url).href, { range: `bytes=${offset}-${offset + length - 1}` }),
      );
      expect(segment.statusCode).toBe(206);
      expect(segment.body.toString('latin1', 4, 8)).toBe('moof');
    }
  });

  test('a stored playlist is rewritten: its own-origin URIs get the token, a third-party URI stays bare', async () => {
    // Prepare
    serve();
    const policy = customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: inAnHour() });
    const signed = customUrl(pair, `${BASE}/hls/byterange/index.m3u8`, policy);

    // Act
    const response = await loaded.invoke(eventFor(signed));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers.etag).not.toBe('"stored-playlist"');
    const checked = checkPlaylist(response.body.toString('utf8'));
    expect(checked.violations).toEqual([]);
    expect(signingParameters(new URL(checked.map?.uri ?? '', signed).href)).toHaveLength(3);
    const uris = checked.segments.map((segment) => segment.uri);
    expect(uris.filter((uri) => uri.startsWith('media.mp4?'))).toHaveLength(5);
    expect(uris).toContain('https://elsewhere.example/ad.mp4');
  });
});

describe('tokens that cannot cover the URIs', () => {
  test('canned policy: URIs stay bare and the playlist keeps its normal caching', async () => {
    // Prepare
    serve();
    const signed = cannedUrl(pair, `${BASE}/dash/on-demand/manifest.mpd.m3u8`, inAnHour());

    // Act
    const response = await loaded.invoke(eventFor(signed));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).not.toContain('private');
    const checked = checkPlaylist(response.body.toString('utf8'));
    expect(checked.variants.map((variant) => variant.uri)).toEqual(['manifest.mpd.0.m3u8', 'manifest.mpd.1.m3u8']);
  });

  test('custom policy for the playlist alone: URIs stay bare (they are not covered)', async () => {
    // Prepare
    serve();
    const url = `${BASE}/dash/on-demand/manifest.mpd.m3u8`;
    const signed = customUrl(pair, url, customPolicy({ resource: url, dateLessThan: inAnHour() }));

    // Act
    const response = await loaded.invoke(eventFor(signed));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.toString('utf8')).not.toContain('Signature=');
  });
});
