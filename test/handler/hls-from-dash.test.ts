/**
 * HLS generated from the stored DASH samples, through the real handler with S3 mocked: every playlist passes
 * the RFC 8216 checker and points at bytes that exist, answers like any stored object (ETag from the sources,
 * 304, Range, HEAD), a stored `.m3u8` wins, bad sources are 4xx with a reason, and the S3 reads per playlist
 * are the documented ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeS3, installFakeS3, type StoredObject, s3Error } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { MEDIA_ROOT } from '../support/hls-fixture-reader.ts';
import { checkPlaylist } from '../support/hls-rfc8216.ts';
import { leakedBodies, resetBodies } from '../support/s3-body.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const lastModified = new Date('2025-03-04T05:06:07Z');
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

function sampleObjects(): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  for (const folder of ['dash/on-demand', 'dash/template', 'dash/template-number']) {
    for (const name of readdirSync(path.join(MEDIA_ROOT, folder))) {
      const body = readFileSync(path.join(MEDIA_ROOT, folder, name));
      objects.set(`${folder}/${name}`, { body, etag: `"${folder}/${name}@1"`, lastModified });
    }
  }
  objects.set('progressive.mp4', {
    body: readFileSync(path.join(MEDIA_ROOT, 'sample.mp4')),
    etag: '"p"',
    lastModified,
  });
  return objects;
}

let loaded: LoadedHandler;
let fake: FakeS3;
let objects: Map<string, StoredObject>;

beforeAll(async () => {
  loaded = await loadHandler({ DEFAULT_CACHE_CONTROL: 'public, max-age=60' });
});
afterEach(() => {
  fake.mock.restore();
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

function serve(edit: (objects: Map<string, StoredObject>) => void = () => {}): FakeS3 {
  objects = sampleObjects();
  edit(objects);
  fake = installFakeS3({ bucket: BUCKET, objects });
  return fake;
}

async function get(urlPath: string, headers: Record<string, string> = {}, method = 'GET') {
  return loaded.invoke(functionUrlEvent({ path: urlPath, headers, method }));
}

/** The bytes a playlist URI points at, resolved against the playlist's own path, from the stored objects. */
function bytesAt(playlistPath: string, uri: string, range: { length: number; offset: number } | undefined): Buffer {
  const key = decodeURIComponent(new URL(uri, `https://origin.example${playlistPath}`).pathname.slice(1));
  const object = objects.get(key);
  if (object === undefined) throw new Error(`the playlist points at a missing object: ${key}`);
  return range === undefined ? object.body : object.body.subarray(range.offset, range.offset + range.length);
}

describe('generated playlists of every sample', () => {
  test.each(['/dash/on-demand/manifest.mpd', '/dash/template/manifest.mpd', '/dash/template-number/manifest.mpd'])(
    '%s: multivariant and media playlists conform and point at stored bytes',
    async (mpd) => {
      // Prepare
      serve();

      // Act
      const multivariant = await get(`${mpd}.m3u8`);

      // Assess
      expect(multivariant.statusCode).toBe(200);
      expect(multivariant.headers['content-type']).toBe(PLAYLIST_TYPE);
      const checked = checkPlaylist(multivariant.body.toString('utf8'));
      expect(checked.violations).toEqual([]);
      const folder = mpd.slice(0, mpd.lastIndexOf('/') + 1);
      const mediaUris = [
        ...checked.variants.map((variant) => variant.uri),
        ...checked.renditions.map((rendition) => (rendition.URI ?? '').slice(1, -1)),
      ];
      expect(mediaUris).toHaveLength(3);
      for (const uri of mediaUris) {
        const media = await get(folder + uri);
        expect(media.statusCode).toBe(200);
        const playlist = checkPlaylist(media.body.toString('utf8'));
        expect(playlist.violations).toEqual([]);
        if (playlist.map === undefined) throw new Error('no EXT-X-MAP');
        const init = bytesAt(folder + uri, playlist.map.uri, playlist.map.byteRange);
        expect(init.toString('latin1', 4, 8)).toBe('ftyp');
        for (const segment of playlist.segments) {
          const bytes = bytesAt(folder + uri, segment.uri, segment.byteRange);
          expect(bytes.length).toBe(segment.byteRange?.length ?? bytes.length);
          // A segment is a moof (on-demand byte ranges) or a stored segment file (styp/sidx/moof first).
          expect(bytes.toString('latin1', 4, 8)).toMatch(
            segment.byteRange === undefined ? /^(styp|sidx|moof)$/ : /^moof$/,
          );
        }
      }
    },
  );
});

describe('S3 reads per playlist', () => {
  test.each<[string, number, string[]]>([
    ['/dash/on-demand/manifest.mpd.m3u8', 2, ['dash/on-demand/manifest.mpd.m3u8', 'dash/on-demand/manifest.mpd']],
    [
      '/dash/on-demand/manifest.mpd.0.m3u8',
      3,
      ['dash/on-demand/manifest.mpd.0.m3u8', 'dash/on-demand/manifest.mpd', 'dash/on-demand/media-0.mp4'],
    ],
    ['/dash/template/manifest.mpd.1.m3u8', 2, ['dash/template/manifest.mpd.1.m3u8', 'dash/template/manifest.mpd']],
    ['/dash/on-demand/media-2.mp4.m3u8', 2, ['dash/on-demand/media-2.mp4.m3u8', 'dash/on-demand/media-2.mp4']],
  ])('%s: %i reads (the miss first), logged', async (urlPath, count, keys) => {
    // Prepare
    serve();
    const before = loaded.logs.length;

    // Act
    const response = await get(urlPath);
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(fake.calls.map((call) => call.input.Key)).toEqual(keys);
    expect(logs[before]).toMatchObject({ status: 200, s3Requests: count });
  });
});

describe('HTTP like any object', () => {
  test('strong ETag from the sources, Last-Modified of the newest, Cache-Control of the MPD', async () => {
    // Prepare
    serve((all) => {
      const mpd = all.get('dash/on-demand/manifest.mpd');
      if (mpd === undefined) throw new Error('sample missing');
      all.set('dash/on-demand/manifest.mpd', { ...mpd, cacheControl: 'public, max-age=5' });
    });

    // Act
    const response = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Assess
    expect(response.headers).toMatchObject({
      'content-type': PLAYLIST_TYPE,
      'content-length': String(response.body.length),
      'cache-control': 'public, max-age=5',
      'last-modified': lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    });
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
  });

  test('the default Cache-Control when the source has none', async () => {
    // Prepare
    serve();

    // Act
    const response = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Assess
    expect(response.headers['cache-control']).toBe('public, max-age=60');
  });

  test('the ETag changes when the MPD changes, and differs per playlist', async () => {
    // Prepare
    serve();
    const first = await get('/dash/on-demand/manifest.mpd.m3u8');
    const other = await get('/dash/on-demand/manifest.mpd.0.m3u8');
    fake.mock.restore();
    serve((all) => {
      const mpd = all.get('dash/on-demand/manifest.mpd');
      if (mpd === undefined) throw new Error('sample missing');
      all.set('dash/on-demand/manifest.mpd', { ...mpd, etag: '"changed"' });
    });

    // Act
    const second = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Assess
    expect(first.headers.etag).toBeDefined();
    expect(second.headers.etag).toBeDefined();
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(other.headers.etag).not.toBe(first.headers.etag);
  });

  test('the ETag changes when the media file (its sidx) changes', async () => {
    // Prepare
    serve();
    const first = await get('/dash/on-demand/manifest.mpd.1.m3u8');
    fake.mock.restore();
    serve((all) => {
      const media = all.get('dash/on-demand/media-1.mp4');
      if (media === undefined) throw new Error('sample missing');
      all.set('dash/on-demand/media-1.mp4', { ...media, etag: '"re-encoded"' });
    });

    // Act
    const second = await get('/dash/on-demand/manifest.mpd.1.m3u8');

    // Assess
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  test('304 to If-None-Match with the ETag, no body', async () => {
    // Prepare
    serve();
    const first = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Act
    const again = await get('/dash/on-demand/manifest.mpd.m3u8', { 'if-none-match': first.headers.etag ?? '' });

    // Assess
    expect(again.statusCode).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  test('412 to If-Match with another ETag', async () => {
    // Prepare
    serve();

    // Act
    const response = await get('/dash/on-demand/manifest.mpd.m3u8', { 'if-match': '"other"' });

    // Assess
    expect(response.statusCode).toBe(412);
  });

  test('Range on the playlist -> 206 with exactly those bytes of the generated body', async () => {
    // Prepare
    serve();
    const whole = await get('/dash/on-demand/manifest.mpd.1.m3u8');

    // Act
    const part = await get('/dash/on-demand/manifest.mpd.1.m3u8', { range: 'bytes=10-49' });

    // Assess
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-49/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(10, 50))).toBe(true);
  });

  test('HEAD: the GET headers, no body', async () => {
    // Prepare
    serve();
    const whole = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Act
    const head = await get('/dash/on-demand/manifest.mpd.m3u8', {}, 'HEAD');

    // Assess
    expect(head.statusCode).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(whole.body.length));
    expect(head.headers.etag).toBe(whole.headers.etag);
  });

  test('a stored .m3u8 of that name wins: served as stored, one read, no generation', async () => {
    // Prepare
    const stored = Buffer.from('#EXTM3U\n# stored by the author\n');
    serve((all) => {
      all.set('dash/on-demand/manifest.mpd.m3u8', { body: stored, etag: '"stored"', lastModified });
    });

    // Act
    const response = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.equals(stored)).toBe(true);
    expect(response.headers.etag).toBe('"stored"');
    expect(fake.calls).toHaveLength(1);
  });
});

describe('sources that cannot be served as HLS: 4xx with the reason', () => {
  test.each<[string, (all: Map<string, StoredObject>) => void, number, RegExp]>([
    ['/dash/missing/manifest.mpd.m3u8', () => {}, 404, /does not exist/],
    ['/dash/on-demand/manifest.mpd.7.m3u8', () => {}, 404, /no representation/],
    ['/progressive.mp4.m3u8', () => {}, 422, /segment index/],
    [
      '/dash/on-demand/manifest.mpd.m3u8',
      (all) =>
        all.set('dash/on-demand/manifest.mpd', { body: Buffer.from('<MPD><Period>'), etag: '"m"', lastModified }),
      422,
      /well-formed/,
    ],
    [
      '/dash/on-demand/manifest.mpd.0.m3u8',
      (all) => {
        const media = all.get('dash/on-demand/media-0.mp4');
        if (media === undefined) throw new Error('sample missing');
        all.set('dash/on-demand/media-0.mp4', { ...media, body: media.body.subarray(0, 800) });
      },
      422,
      /shorter|beyond|truncated/,
    ],
    [
      '/dash/on-demand/manifest.mpd.0.m3u8',
      (all) => all.set('dash/on-demand/media-0.mp4', { body: Buffer.alloc(0), etag: '"e"', lastModified }),
      422,
      /empty/,
    ],
  ])('%s (case %#)', async (urlPath, edit, status, reason) => {
    // Prepare
    serve(edit);

    // Act
    const response = await get(urlPath);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.body.toString('utf8')).toMatch(reason);
    expect(response.body.toString('utf8')).not.toContain(BUCKET);
  });
});

describe('the store failing while a playlist is generated', () => {
  test('S3 throttling on the MPD read is the usual 503 with Retry-After, not a 4xx about the source', async () => {
    // Prepare
    objects = sampleObjects();
    fake = installFakeS3({
      bucket: BUCKET,
      objects,
      fault: (call) => (call.index === 1 ? { reject: s3Error('SlowDown', 503) } : undefined),
    });

    // Act
    const response = await get('/dash/on-demand/manifest.mpd.m3u8');

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(fake.calls).toHaveLength(2);
  });
});
