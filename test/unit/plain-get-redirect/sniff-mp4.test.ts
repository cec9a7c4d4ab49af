import { readFileSync } from 'node:fs';
import {
  MAX_INIT_SEGMENT_BYTES,
  type Mp4Shape,
  mp4Shape,
  mp4SniffLength,
} from '../../../lambda/plain-get-redirect/sniff-mp4.ts';

/** A top-level box of `size` bytes (32-bit size), its content zero-filled. */
function box(type: string, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, 'latin1');
  return bytes;
}

/** A box with the 64-bit size form (size field 1). */
function largeBox(type: string, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(1, 0);
  bytes.write(type, 4, 'latin1');
  bytes.writeBigUInt64BE(BigInt(size), 8);
  return bytes;
}

/** A box whose size field is 0: it runs to the end of the file. */
function toEnd(type: string, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.write(type, 4, 'latin1');
  return bytes;
}

const whole = (bytes: Buffer): [Buffer, number] => [bytes, bytes.length];

describe('mp4Shape', () => {
  test.each<[string, [Buffer, number], Mp4Shape]>([
    ['init segment: ftyp + moov', whole(Buffer.concat([box('ftyp', 28), box('moov', 700)])), 'init-segment'],
    [
      'init segment with free space and a uuid box',
      whole(Buffer.concat([box('ftyp', 24), box('free', 8), box('moov', 300), box('uuid', 40)])),
      'init-segment',
    ],
    [
      'init segment, moov in the 64-bit size form',
      whole(Buffer.concat([box('ftyp', 24), largeBox('moov', 64)])),
      'init-segment',
    ],
    [
      'init segment, last box sized 0 (to the end)',
      whole(Buffer.concat([box('ftyp', 24), toEnd('moov', 64)])),
      'init-segment',
    ],
    ['media segment starting with styp', [box('styp', 24), 50_000], 'media-segment'],
    ['media segment starting with moof', [box('moof', 600), 50_000], 'media-segment'],
    ['media segment starting with sidx', [box('sidx', 44), 50_000], 'media-segment'],
    ['media segment starting with emsg', [box('emsg', 60), 50_000], 'media-segment'],
    ['media segment starting with prft', [box('prft', 32), 50_000], 'media-segment'],
    [
      'progressive: ftyp + moov + mdat',
      whole(Buffer.concat([box('ftyp', 24), box('moov', 100), box('mdat', 500)])),
      'other',
    ],
    [
      'progressive, moov at the end',
      whole(Buffer.concat([box('ftyp', 24), box('mdat', 500), box('moov', 100)])),
      'other',
    ],
    [
      'single-file fragmented presentation: ftyp + moov + sidx + moof + mdat',
      whole(Buffer.concat([box('ftyp', 24), box('moov', 100), box('sidx', 44), box('moof', 60), box('mdat', 300)])),
      'other',
    ],
    ['larger than the head: only the first header is seen', [box('ftyp', 24).subarray(0, 16), 5_000_000], 'other'],
    ['ftyp alone', whole(box('ftyp', 24)), 'other'],
    ['empty', [Buffer.alloc(0), 0], 'other'],
    ['shorter than a header', [Buffer.from([0, 0, 0]), 3], 'other'],
    ['a box larger than the object', [box('ftyp', 24), 20], 'other'],
    [
      'a size smaller than its header',
      whole(Buffer.concat([box('ftyp', 24), Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x76])])),
      'other',
    ],
    ['a type that is not ASCII', whole(Buffer.from([0, 0, 0, 8, 0xff, 0xfe, 0x00, 0x01])), 'other'],
    ['not an MP4 at all (text)', whole(Buffer.from('#EXTM3U\n#EXT-X-VERSION:7\n')), 'other'],
    ['trailing bytes after the boxes', [Buffer.concat([box('ftyp', 24), box('moov', 40)]), 70], 'other'],
  ])('%s -> %s', (_name, [head, size], expected) => {
    // Act / Assess
    expect(mp4Shape(head, size)).toBe(expected);
  });

  test.each<[string, Mp4Shape]>([
    ['media/dash/template/init-0.mp4', 'init-segment'],
    ['media/dash/template/init-2.mp4', 'init-segment'],
    ['media/hls/fmp4/init.mp4', 'init-segment'],
    ['media/dash/template/chunk-0-001.m4s', 'media-segment'],
    ['media/hls/fmp4/segment-000.m4s', 'media-segment'],
    ['media/sample.mp4', 'other'],
    ['media/sample-moov-at-end.mp4', 'other'],
    ['media/dash/on-demand/media-0.mp4', 'other'],
    ['media/hls/byterange/media.mp4', 'other'],
  ])('the repository fixture %s -> %s', (path, expected) => {
    // Prepare
    const bytes = readFileSync(path);
    const head = bytes.subarray(0, mp4SniffLength(bytes.length, bytes.length));

    // Act / Assess
    expect(mp4Shape(head, bytes.length)).toBe(expected);
  });
});

describe('mp4SniffLength', () => {
  test.each<[string, number, number, number]>([
    ['a small object that arrived whole: all of it', 793, 1000, 793],
    ['exactly the bound', MAX_INIT_SEGMENT_BYTES, 2 * MAX_INIT_SEGMENT_BYTES, MAX_INIT_SEGMENT_BYTES],
    ['over the bound: the first header only', MAX_INIT_SEGMENT_BYTES + 1, 2 * MAX_INIT_SEGMENT_BYTES, 16],
    ['larger than what was read: the first header only', 5000, 1000, 16],
    ['fewer bytes read than a header', 5000, 4, 4],
    ['an empty object', 0, 0, 0],
  ])('%s', (_name, size, available, expected) => {
    // Act / Assess
    expect(mp4SniffLength(size, available)).toBe(expected);
  });
});
