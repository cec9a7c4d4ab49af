/**
 * HLS generated from the stored DASH samples by the real handler behind the local Function URL, on the
 * embedded S3 server seeded with media/ exactly as `npm start` seeds it: the playlists conform to RFC 8216 and
 * every URI inside them, fetched over real HTTP the way a player does (byte ranges as Range requests), is
 * answered 206/200 with bytes identical to the stored file's slice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalStack, SAMPLE_MEDIA_DIR, startLocalStack } from '../../local/stack.ts';
import { checkPlaylist } from '../support/hls-rfc8216.ts';
import { type RawResponse, send } from '../support/local/http-client.ts';
import { testRuntime } from '../support/local/runtime-mode.ts';

const MEDIA_DIR = fileURLToPath(SAMPLE_MEDIA_DIR);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, mediaDir: MEDIA_DIR, runtime: testRuntime() });
});

afterAll(async () => {
  await stack.close();
});

function get(target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(stack.url, target, { headers });
}

/** The stored file a URI names, resolved against the playlist's path like a player resolves it. */
function storedFile(playlistPath: string, uri: string): { path: string; bytes: Buffer } {
  const path = new URL(uri, `http://origin.invalid${playlistPath}`).pathname;
  return { path, bytes: readFileSync(join(MEDIA_DIR, ...decodeURIComponent(path).slice(1).split('/'))) };
}

async function expectSameBytes(
  playlistPath: string,
  uri: string,
  range: { length: number; offset: number } | undefined,
) {
  const stored = storedFile(playlistPath, uri);
  if (range === undefined) {
    const response = await get(stored.path);
    expect(response.status).toBe(200);
    expect(response.body.equals(stored.bytes)).toBe(true);
    return;
  }
  const end = range.offset + range.length - 1;
  const response = await get(stored.path, { range: `bytes=${range.offset}-${end}` });
  expect(response.status).toBe(206);
  expect(response.headers['content-range']).toBe(`bytes ${range.offset}-${end}/${stored.bytes.length}`);
  expect(response.body.equals(stored.bytes.subarray(range.offset, end + 1))).toBe(true);
}

describe.each([
  '/dash/on-demand/manifest.mpd.m3u8',
  '/dash/template/manifest.mpd.m3u8',
  '/dash/template-number/manifest.mpd.m3u8',
])('%s', (multivariantPath) => {
  it('conforms, and every URI of every media playlist answers the stored bytes', async () => {
    // Act
    const multivariant = await get(multivariantPath);

    // Assess
    expect(multivariant.status).toBe(200);
    expect(multivariant.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(multivariant.headers.etag).toMatch(/^"/);
    const checked = checkPlaylist(multivariant.body.toString('utf8'));
    expect(checked.violations).toEqual([]);
    const mediaUris = [
      ...checked.variants.map((variant) => variant.uri),
      ...checked.renditions.map((rendition) => (rendition.URI ?? '').slice(1, -1)),
    ];
    expect(mediaUris).toHaveLength(3);
    for (const uri of mediaUris) {
      const mediaPath = new URL(uri, `http://origin.invalid${multivariantPath}`).pathname;
      const media = await get(mediaPath);
      expect(media.status).toBe(200);
      const playlist = checkPlaylist(media.body.toString('utf8'));
      expect(playlist.violations).toEqual([]);
      if (playlist.map === undefined) throw new Error('no EXT-X-MAP');
      await expectSameBytes(mediaPath, playlist.map.uri, playlist.map.byteRange);
      for (const segment of playlist.segments) await expectSameBytes(mediaPath, segment.uri, segment.byteRange);
    }
  });

  it('answers If-None-Match with its ETag with 304', async () => {
    // Prepare
    const first = await get(multivariantPath);

    // Act
    const again = await get(multivariantPath, { 'if-none-match': String(first.headers.etag) });

    // Assess
    expect(again.status).toBe(304);
  });
});

it('a stored playlist of the same folder is served as stored', async () => {
  // Act
  const response = await get('/hls/byterange/index.m3u8');

  // Assess
  expect(response.status).toBe(200);
  expect(response.body.equals(readFileSync(join(MEDIA_DIR, 'hls/byterange/index.m3u8')))).toBe(true);
});
