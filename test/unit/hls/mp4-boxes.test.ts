import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { MAX_TOP_LEVEL_BOXES, parseSidx, topLevelBoxes } from '../../../lambda/hls/mp4-boxes.ts';
import { UnplayableSourceError } from '../../../lambda/hls/unplayable-source.ts';
import { MEDIA_ROOT } from '../../support/hls-fixture-reader.ts';
import { unplayableReason as reason } from '../../support/unplayable-reason.ts';

interface Reference {
  readonly size: number;
  readonly duration: number;
  readonly sap?: boolean;
  readonly hierarchical?: boolean;
}

/** A sidx box (ISO/IEC 14496-12 8.16.3) as a muxer writes it. */
function sidx(version: 0 | 1, firstOffset: number, references: readonly Reference[], timescale = 1000): Buffer {
  const timeBytes = version === 0 ? 8 : 16;
  const size = 8 + 4 + 8 + timeBytes + 4 + references.length * 12;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('sidx', 4, 'latin1');
  box.writeUInt8(version, 8);
  box.writeUInt32BE(1, 12);
  box.writeUInt32BE(timescale, 16);
  let at = 20;
  if (version === 0) {
    box.writeUInt32BE(0, at);
    box.writeUInt32BE(firstOffset, at + 4);
  } else {
    box.writeBigUInt64BE(0n, at);
    box.writeBigUInt64BE(BigInt(firstOffset), at + 8);
  }
  at += timeBytes;
  box.writeUInt16BE(references.length, at + 2);
  at += 4;
  for (const reference of references) {
    box.writeUInt32BE(((reference.hierarchical ? 1 : 0) * 2 ** 31 + reference.size) >>> 0, at);
    box.writeUInt32BE(reference.duration, at + 4);
    box.writeUInt32BE((reference.sap ?? true) ? 0x90000000 : 0, at + 8);
    at += 12;
  }
  return box;
}

function header(size: number, type: string): Buffer {
  const box = Buffer.alloc(8);
  box.writeUInt32BE(size, 0);
  box.write(type, 4, 'latin1');
  return box;
}

describe('parseSidx', () => {
  test.each([0, 1] as const)(
    'version %i: offsets follow the box end plus first_offset, durations as written',
    (version) => {
      // Prepare
      const box = sidx(version, 10, [
        { size: 100, duration: 2000 },
        { size: 50, duration: 1500, sap: false },
      ]);
      const at = 1000;

      // Act
      const index = parseSidx(box, at, at + box.length + 10 + 150);

      // Assess
      expect(index.timescale).toBe(1000);
      expect(index.references).toEqual([
        { offset: at + box.length + 10, size: 100, duration: 2000, startsWithSap: true },
        { offset: at + box.length + 110, size: 50, duration: 1500, startsWithSap: false },
      ]);
    },
  );

  test.each<[string, Buffer, number, RegExp]>([
    ['hierarchical reference', sidx(0, 0, [{ size: 10, duration: 1, hierarchical: true }]), 1000, /hierarchical/],
    ['no references', sidx(0, 0, []), 1000, /no segments/],
    ['beyond the file', sidx(0, 0, [{ size: 1000, duration: 1 }]), 100, /beyond/],
    ['not a sidx', Buffer.concat([header(16, 'moof'), Buffer.alloc(8)]), 1000, /sidx/],
    ['truncated', sidx(0, 0, [{ size: 10, duration: 1 }]).subarray(0, 30), 1000, /beyond|truncated/],
    ['zero timescale', sidx(0, 0, [{ size: 10, duration: 1 }], 0), 1000, /timescale/],
  ])('%s is refused with a reason', (_name, box, fileSize, expected) => {
    // Act / Assess
    expect(reason(() => parseSidx(box, 0, fileSize))).toMatch(expected);
  });

  test('the sample files: one reference per 2 s fragment, each pointing at a moof', () => {
    // Prepare
    const file = readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand/media-1.mp4'));
    const boxes = topLevelBoxes(file, 0, 0, file.length);
    const box = boxes.find((candidate) => candidate.type === 'sidx');
    if (box === undefined) throw new Error('the sample has no sidx');

    // Act
    const index = parseSidx(file.subarray(box.offset, box.offset + box.size), box.offset, file.length);

    // Assess
    expect(index.references).toHaveLength(5);
    for (const reference of index.references) {
      expect(file.toString('latin1', reference.offset + 4, reference.offset + 8)).toBe('moof');
    }
  });
});

describe('topLevelBoxes', () => {
  test('32-bit, 64-bit (size 1) and to-the-end (size 0) sizes', () => {
    // Prepare
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('moov', 4, 'latin1');
    large.writeBigUInt64BE(24n, 8);
    const bytes = Buffer.concat([header(8, 'ftyp'), large, Buffer.alloc(8), header(0, 'mdat'), Buffer.alloc(4)]);

    // Act
    const boxes = topLevelBoxes(bytes, 0, 0, bytes.length);

    // Assess
    expect(boxes).toEqual([
      { type: 'ftyp', offset: 0, headerSize: 8, size: 8 },
      { type: 'moov', offset: 8, headerSize: 16, size: 24 },
      { type: 'mdat', offset: 32, headerSize: 8, size: 12 },
    ]);
  });

  test('a box smaller than its header, or past the end of the file, is refused', () => {
    // Act / Assess
    expect(reason(() => topLevelBoxes(header(4, 'ftyp'), 0, 0, 100))).toMatch(/smaller/);
    expect(reason(() => topLevelBoxes(header(200, 'ftyp'), 0, 0, 100))).toMatch(/beyond/);
  });

  test('a flood of tiny boxes stops at the count limit', () => {
    // Prepare
    const bytes = Buffer.concat(Array.from({ length: MAX_TOP_LEVEL_BOXES + 1 }, () => header(8, 'free')));

    // Act / Assess
    expect(reason(() => topLevelBoxes(bytes, 0, 0, bytes.length))).toMatch(/too many/);
  });
});

describe('hostile bytes', () => {
  test('parseSidx and topLevelBoxes only ever throw the typed error, for any bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat({ max: 10_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (bytes, at, fileSize) => {
          for (const run of [() => parseSidx(bytes, at, fileSize), () => topLevelBoxes(bytes, 0, 0, fileSize)]) {
            try {
              run();
            } catch (error) {
              expect(error).toBeInstanceOf(UnplayableSourceError);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('a valid sidx with random corruption only ever throws the typed error', () => {
    const valid = sidx(1, 0, [
      { size: 100, duration: 2000 },
      { size: 100, duration: 2000 },
    ]);
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), (index, value) => {
        const copy = Buffer.from(valid);
        copy[index] = value;
        try {
          parseSidx(copy, 0, 10_000);
        } catch (error) {
          expect(error).toBeInstanceOf(UnplayableSourceError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
