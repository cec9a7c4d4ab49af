/**
 * Signed playlists behind CloudFront with origin access control (PLAYLIST_TOKENS=edge-verified): CloudFront has
 * verified the token and the function verifies nothing, yet a custom-policy playlist still hands the token on to
 * its URIs, `private, no-store`. The function sees the Function URL's Host, so the policy's Resource (on the
 * distribution's domain) is matched through SIGNED_URL_BASE. A canned token and an unsigned request get the bare,
 * cacheable playlist as before. One config per test file (the handler reads it once), hence a file of its own.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { checkPlaylist } from '../support/hls-rfc8216.ts';
import { cannedUrl, customPolicy, customUrl, rawPathOf, rawQueryOf, testKeyPair } from '../support/signing-keys.ts';
import { dashOnDemandObjects, fakeS3EachTest, type LoadedHandler, loadHandler } from './handler-harness.ts';

/** What CloudFront sends as Host to a Function URL origin: the Function URL's own domain. */
const ORIGIN_HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
/** The distribution's domain, which the viewer signed and used. */
const VIEWER_BASE = 'https://d111111abcdef8.cloudfront.net';
const pair = testKeyPair('K2JCJMDEHXQW5F');
const lastModified = new Date('2025-03-04T05:06:07Z');
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;
const MULTIVARIANT = `${VIEWER_BASE}/dash/on-demand/manifest.mpd.m3u8`;

const objects = dashOnDemandObjects(lastModified);

let loaded: LoadedHandler;
const serve = fakeS3EachTest(objects);

beforeAll(async () => {
  // No REQUIRE_SIGNED_REQUESTS and no keys: the edge verified.
  loaded = await loadHandler({ PLAYLIST_TOKENS: 'edge-verified', SIGNED_URL_BASE: VIEWER_BASE });
});

/** The request as CloudFront forwards it: the viewer's path and query, the origin's Host. */
function forwarded(url: string): LambdaFunctionURLEvent {
  return functionUrlEvent({ path: rawPathOf(url), query: rawQueryOf(url), headers: { host: ORIGIN_HOST } });
}

const signingParameters = (url: string): string[] =>
  [...new URL(url).searchParams.keys()].filter((name) => ['Policy', 'Signature', 'Key-Pair-Id'].includes(name)).sort();

describe('edge-verified tokens', () => {
  test('custom policy with a wildcard Resource: every URI carries the token, down to the segments', async () => {
    // Prepare
    serve();
    const policy = customPolicy({ resource: `${VIEWER_BASE}/dash/on-demand/*`, dateLessThan: inAnHour() });
    const signed = customUrl(pair, MULTIVARIANT, policy);

    // Act
    const multivariant = await loaded.invoke(forwarded(signed));

    // Assess
    expect(multivariant.statusCode).toBe(200);
    expect(multivariant.headers['cache-control']).toBe('private, no-store');
    const checked = checkPlaylist(multivariant.body.toString('utf8'));
    expect(checked.violations).toEqual([]);
    expect(checked.variants.length).toBeGreaterThan(0);
    for (const variant of checked.variants) {
      const url = new URL(variant.uri, signed).href;
      expect(url.startsWith(VIEWER_BASE)).toBe(true);
      expect(signingParameters(url)).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
      const media = await loaded.invoke(forwarded(url));
      expect(media.statusCode).toBe(200);
      expect(media.headers['cache-control']).toBe('private, no-store');
      const playlist = checkPlaylist(media.body.toString('utf8'));
      expect(playlist.violations).toEqual([]);
      const first = playlist.segments[0];
      if (first === undefined || playlist.map === undefined) throw new Error('no segments');
      for (const target of [playlist.map.uri, first.uri]) {
        expect(signingParameters(new URL(target, url).href)).toEqual(['Key-Pair-Id', 'Policy', 'Signature']);
      }
    }
  });

  test('a Resource on another host (not a configured base URL) leaves the URIs bare', async () => {
    // Prepare
    serve();
    const policy = customPolicy({ resource: 'https://other.example/dash/on-demand/*', dateLessThan: inAnHour() });
    const signed = customUrl(pair, MULTIVARIANT, policy);

    // Act
    const response = await loaded.invoke(forwarded(signed));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.toString('utf8')).not.toContain('Signature=');
    expect(response.headers['cache-control']).not.toContain('private');
  });
});

describe('requests without a token to propagate', () => {
  test('canned policy: URIs bare, the playlist cacheable like an unsigned one', async () => {
    // Prepare
    serve();
    const signed = cannedUrl(pair, MULTIVARIANT, inAnHour());
    const unsigned = await loaded.invoke(forwarded(MULTIVARIANT));

    // Act
    const response = await loaded.invoke(forwarded(signed));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe(unsigned.headers['cache-control']);
    expect(response.headers.etag).toBe(unsigned.headers.etag);
    expect(response.body.toString('utf8')).toBe(unsigned.body.toString('utf8'));
  });

  test('no token: URIs bare and the usual caching', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(forwarded(MULTIVARIANT));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).not.toContain('private');
    expect(response.headers['cache-control']).not.toContain('no-store');
    const checked = checkPlaylist(response.body.toString('utf8'));
    expect(checked.variants.map((variant) => variant.uri)).toEqual(['manifest.mpd.0.m3u8', 'manifest.mpd.1.m3u8']);
  });
});
