import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { generatePlaylist } from '../../../lambda/hls/generate-playlist.ts';
import { playlistAddress } from '../../../lambda/hls/playlist-address.ts';
import { UnplayableSourceError } from '../../../lambda/hls/unplayable-source.ts';
import { fixtureReader, MEDIA_ROOT } from '../../support/hls-fixture-reader.ts';
import { checkPlaylist } from '../../support/hls-rfc8216.ts';

async function generate(key: string, files: Readonly<Record<string, Uint8Array>> = {}) {
  const address = playlistAddress(key);
  if (address === undefined) throw new Error(`not a playlist key: ${key}`);
  const reader = fixtureReader(files);
  const text = await generatePlaylist(address, reader);
  return { text, reads: reader.reads, checked: checkPlaylist(text) };
}

async function failure(key: string, files: Readonly<Record<string, Uint8Array>> = {}): Promise<UnplayableSourceError> {
  try {
    await generate(key, files);
  } catch (error) {
    if (error instanceof UnplayableSourceError) return error;
    throw error;
  }
  throw new Error('expected an UnplayableSourceError');
}

const SAMPLES = ['dash/on-demand/manifest.mpd', 'dash/template/manifest.mpd', 'dash/template-number/manifest.mpd'];
const REPRESENTATIONS = ['0', '1', '2'];

describe('multivariant playlists of the samples', () => {
  test.each(SAMPLES)('%s: conforming, two video variants with the audio group, from one read', async (mpd) => {
    // Act
    const { checked, reads } = await generate(`${mpd}.m3u8`);

    // Assess
    expect(checked.violations).toEqual([]);
    expect(checked.kind).toBe('multivariant');
    expect(reads).toHaveLength(1);
    expect(checked.tags).toContain('EXT-X-INDEPENDENT-SEGMENTS');
    expect(checked.variants.map((variant) => variant.uri)).toEqual(['manifest.mpd.0.m3u8', 'manifest.mpd.1.m3u8']);
    expect(checked.variants[0]?.attributes).toMatchObject({
      BANDWIDTH: String(131470 + 64313),
      CODECS: '"avc1.4d400c,mp4a.40.2"',
      RESOLUTION: '320x180',
      'FRAME-RATE': '24.000',
      AUDIO: '"audio-mp4a.40.2"',
    });
    expect(checked.renditions).toEqual([
      expect.objectContaining({ TYPE: 'AUDIO', DEFAULT: 'YES', AUTOSELECT: 'YES', URI: '"manifest.mpd.2.m3u8"' }),
    ]);
  });
});

describe('media playlists of the samples', () => {
  test.each(REPRESENTATIONS)('on-demand representation %s: byte ranges of the file from its sidx', async (id) => {
    // Prepare
    const file = readFileSync(path.join(MEDIA_ROOT, `dash/on-demand/media-${id}.mp4`));

    // Act
    const { checked, reads } = await generate(`dash/on-demand/manifest.mpd.${id}.m3u8`);

    // Assess
    expect(checked.violations).toEqual([]);
    expect(reads).toHaveLength(2); // the MPD and the sidx range
    expect(checked.map?.uri).toBe(`media-${id}.mp4`);
    const init = checked.map?.byteRange;
    expect(init?.offset).toBe(0);
    // The init section is ftyp + moov, and every segment is a moof starting exactly where the previous ended.
    expect(file.toString('latin1', 4, 8)).toBe('ftyp');
    let expected = -1;
    for (const segment of checked.segments) {
      const range = segment.byteRange;
      if (range === undefined) throw new Error('a segment without a byte range');
      expect(segment.uri).toBe(`media-${id}.mp4`);
      expect(file.toString('latin1', range.offset + 4, range.offset + 8)).toBe('moof');
      expect(file.readUInt32BE(range.offset)).toBeLessThanOrEqual(range.length);
      if (expected !== -1) expect(range.offset).toBe(expected);
      expected = range.offset + range.length;
    }
    expect(expected).toBe(file.byteLength);
    const total = checked.segments.reduce((sum, segment) => sum + segment.duration, 0);
    expect(total).toBeGreaterThan(9.9);
    expect(total).toBeLessThan(10.1);
  });

  test.each(REPRESENTATIONS)('template representation %s: the stored segment files, from the MPD alone', async (id) => {
    // Act
    const { checked, reads } = await generate(`dash/template/manifest.mpd.${id}.m3u8`);

    // Assess
    expect(checked.violations).toEqual([]);
    expect(reads).toHaveLength(1);
    expect(checked.map).toEqual({ uri: `init-${id}.mp4`, byteRange: undefined });
    for (const segment of checked.segments) {
      const file = path.join(MEDIA_ROOT, 'dash/template', segment.uri);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).toString('latin1', 4, 8)).toMatch(/^(styp|moof|sidx)$/);
    }
    expect(checked.segments.length).toBe(id === '2' ? 6 : 5);
  });

  test.each(REPRESENTATIONS)('template-number representation %s: $Number$ files for the MPD duration', async (id) => {
    // Act
    const { checked, reads } = await generate(`dash/template-number/manifest.mpd.${id}.m3u8`);

    // Assess
    expect(checked.violations).toEqual([]);
    expect(reads).toHaveLength(1);
    expect(checked.segments.map((segment) => [segment.uri, segment.duration])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [`chunk-${id}-00${n}.m4s`, 2]),
    );
    for (const segment of checked.segments) {
      expect(existsSync(path.join(MEDIA_ROOT, 'dash/template-number', segment.uri))).toBe(true);
    }
  });

  test('one stored fragmented MP4: its sidx, from one head read', async () => {
    // Act
    const fromMp4 = await generate('dash/on-demand/media-1.mp4.m3u8');
    const fromMpd = await generate('dash/on-demand/manifest.mpd.1.m3u8');

    // Assess
    expect(fromMp4.checked.violations).toEqual([]);
    expect(fromMp4.reads).toHaveLength(1);
    expect(fromMp4.checked.segments).toEqual(fromMpd.checked.segments);
  });
});

describe('sources that cannot be served as HLS', () => {
  const mpd = readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand/manifest.mpd'), 'utf8');
  const edited = (from: string, to: string) => ({ 'dash/on-demand/manifest.mpd': Buffer.from(mpd.replace(from, to)) });

  test.each<[string, string, Record<string, Uint8Array>, number, RegExp]>([
    ['no MPD', 'dash/none/manifest.mpd.m3u8', {}, 404, /does not exist/],
    ['no such representation', 'dash/on-demand/manifest.mpd.9.m3u8', {}, 404, /no representation/],
    ['no MP4', 'dash/on-demand/missing.mp4.m3u8', {}, 404, /does not exist/],
    ['progressive MP4 (moov first, no fragments)', 'sample.mp4.m3u8', {}, 422, /segment index/],
    ['one sidx per fragment', 'hls/byterange/media.mp4.m3u8', {}, 422, /whole file/],
    ['a media segment, not a file', 'dash/template/chunk-0-001.m4s.m3u8', {}, 422, /segment index|moov/],
    ['dynamic MPD', 'dash/on-demand/manifest.mpd.m3u8', edited('type="static"', 'type="dynamic"'), 422, /dynamic/],
    [
      'absolute BaseURL',
      'dash/on-demand/manifest.mpd.0.m3u8',
      edited('<BaseURL>media-0.mp4', '<BaseURL>https://elsewhere.example/media-0.mp4'),
      422,
      /BaseURL/,
    ],
    [
      'escaping BaseURL',
      'dash/on-demand/manifest.mpd.0.m3u8',
      edited('<BaseURL>media-0.mp4', '<BaseURL>../../secret.mp4'),
      422,
      /BaseURL/,
    ],
    [
      'DOCTYPE',
      'dash/on-demand/manifest.mpd.m3u8',
      edited('<MPD', '<!DOCTYPE MPD [<!ENTITY x "y">]><MPD'),
      422,
      /DOCTYPE/,
    ],
    [
      'truncated MPD',
      'dash/on-demand/manifest.mpd.m3u8',
      { 'dash/on-demand/manifest.mpd': Buffer.from(mpd.slice(0, 900)) },
      422,
      /well-formed/,
    ],
    [
      'indexRange not on a sidx',
      'dash/on-demand/manifest.mpd.0.m3u8',
      edited('indexRange="797-896"', 'indexRange="0-99"'),
      422,
      /sidx/,
    ],
    [
      'SegmentList',
      'dash/on-demand/manifest.mpd.0.m3u8',
      edited('<SegmentBase', '<SegmentList/><SegmentBase'),
      422,
      /SegmentList/,
    ],
    [
      'too large MPD',
      'dash/on-demand/manifest.mpd.m3u8',
      { 'dash/on-demand/manifest.mpd': Buffer.alloc(1024 * 1024 + 1, 32) },
      422,
      /larger/,
    ],
  ])('%s: 4xx with the reason', async (_name, key, files, status, reason) => {
    // Act
    const error = await failure(key, files);

    // Assess
    expect(error.statusCode).toBe(status);
    expect(error.message).toMatch(reason);
  });
});

describe('hostile sources end in a playlist or the typed error', () => {
  const mpd = readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand/manifest.mpd'), 'utf8');
  const media = readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand/media-0.mp4'));

  test('a mutated MPD (any character replaced, cut or inserted)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: mpd.length - 1 }),
        fc.string({ maxLength: 8 }),
        fc.nat({ max: 8 }),
        fc.constantFrom('manifest.mpd.m3u8', 'manifest.mpd.0.m3u8', 'manifest.mpd.2.m3u8'),
        async (at, insert, cut, name) => {
          const edited = mpd.slice(0, at) + insert + mpd.slice(at + cut);
          const files = { 'dash/on-demand/manifest.mpd': Buffer.from(edited) };
          try {
            const { checked } = await generate(`dash/on-demand/${name}`, files);
            expect(checked.violations).toEqual([]);
          } catch (error) {
            expect(error).toBeInstanceOf(UnplayableSourceError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('a media file with corrupted bytes in its head (boxes and sidx)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 1100 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('media-0.mp4.m3u8', 'manifest.mpd.0.m3u8'),
        async (edits, name) => {
          const copy = Buffer.from(media);
          for (const [index, value] of edits) copy[index] = value;
          try {
            const { checked } = await generate(`dash/on-demand/${name}`, { 'dash/on-demand/media-0.mp4': copy });
            expect(checked.violations).toEqual([]);
          } catch (error) {
            expect(error).toBeInstanceOf(UnplayableSourceError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
