import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../bin/upload/args.ts';
import {
  cacheControlFor,
  keyFor,
  MEDIA_CACHE_CONTROL,
  PLAYLIST_CACHE_CONTROL,
  planUploads,
} from '../../../bin/upload/plan.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'upload-plan-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function file(path: string, bytes: number): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, Buffer.alloc(bytes, 1));
  return full;
}

describe('cacheControlFor', () => {
  test.each([
    ['movie.mp4', MEDIA_CACHE_CONTROL],
    ['hls/seg_001.ts', MEDIA_CACHE_CONTROL],
    ['dash/chunk.m4s', MEDIA_CACHE_CONTROL],
    ['subs/en.vtt', MEDIA_CACHE_CONTROL],
    ['hls/index.m3u8', PLAYLIST_CACHE_CONTROL],
    ['HLS/MASTER.M3U8', PLAYLIST_CACHE_CONTROL],
    ['dash/manifest.mpd', PLAYLIST_CACHE_CONTROL],
    ['m3u8', MEDIA_CACHE_CONTROL],
    ['dir.m3u8/clip.mp4', MEDIA_CACHE_CONTROL],
  ])('%s -> %s', (key, expected) => {
    // Prepare: the key above
    // Act
    const value = cacheControlFor(key);
    // Assess
    expect(value).toBe(expected);
  });

  test('playlists expire in seconds, media in weeks', () => {
    // Prepare
    const maxAge = (value: string) => Number(/max-age=(\d+)/.exec(value)?.[1]);
    // Act
    const playlist = maxAge(PLAYLIST_CACHE_CONTROL);
    const media = maxAge(MEDIA_CACHE_CONTROL);
    // Assess
    expect(playlist).toBeLessThanOrEqual(10);
    expect(media).toBeGreaterThanOrEqual(7 * 24 * 3600);
  });
});

describe('keyFor', () => {
  test('joins the prefix and the relative path with "/"', () => {
    // Prepare
    const relativePath = join('hls', '720p', 'seg.ts');
    // Act
    const key = keyFor('media/', relativePath);
    // Assess
    expect(key).toBe('media/hls/720p/seg.ts');
  });
});

describe('planUploads', () => {
  test('a file maps to prefix + name; a directory to prefix + path below it; hidden files are skipped', async () => {
    // Prepare
    const single = file('loose/Movie.MP4', 10);
    file('show/hls/index.m3u8', 3);
    file('show/hls/seg_0.ts', 4);
    file('show/poster.jpg', 5);
    file('show/.DS_Store', 6);
    file('show/.hidden/secret.mp4', 7);
    // Act
    const items = await planUploads([single, join(root, 'show')], { prefix: 'media/' });
    // Assess
    expect(items.map(({ key, size, contentType, cacheControl }) => ({ key, size, contentType, cacheControl }))).toEqual(
      [
        { key: 'media/Movie.MP4', size: 10, contentType: 'video/mp4', cacheControl: MEDIA_CACHE_CONTROL },
        {
          key: 'media/hls/index.m3u8',
          size: 3,
          contentType: 'application/vnd.apple.mpegurl',
          cacheControl: PLAYLIST_CACHE_CONTROL,
        },
        { key: 'media/hls/seg_0.ts', size: 4, contentType: 'video/mp2t', cacheControl: MEDIA_CACHE_CONTROL },
        { key: 'media/poster.jpg', size: 5, contentType: 'image/jpeg', cacheControl: MEDIA_CACHE_CONTROL },
      ],
    );
    expect(items[0]?.file).toBe(single);
  });

  test('--cache-control overrides the choice by extension', async () => {
    // Prepare
    const playlist = file('index.m3u8', 1);
    // Act
    const [item] = await planUploads([playlist], { prefix: '', cacheControl: 'no-cache' });
    // Assess
    expect(item?.cacheControl).toBe('no-cache');
  });

  test('unknown extensions upload as application/octet-stream', async () => {
    // Prepare
    const blob = file('data.bin', 1);
    // Act
    const [item] = await planUploads([blob], { prefix: '' });
    // Assess
    expect(item?.contentType).toBe('application/octet-stream');
  });

  test('two sources for one key are refused', async () => {
    // Prepare
    const a = file('a/clip.mp4', 1);
    const b = file('b/clip.mp4', 1);
    // Act
    const planning = planUploads([a, b], { prefix: '' });
    // Assess
    await expect(planning).rejects.toThrow(new UsageError(`both ${a} and ${b} would be uploaded to key "clip.mp4"`));
  });

  test('a missing path is a usage error naming it', async () => {
    // Prepare
    const missing = join(root, 'nope.mp4');
    // Act
    const planning = planUploads([missing], { prefix: '' });
    // Assess
    await expect(planning).rejects.toThrow(`cannot read ${missing}`);
  });
});
