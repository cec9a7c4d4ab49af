import fc from 'fast-check';
import { coalesceRanges } from '../../../lambda/http/coalesce-ranges.ts';
import { type MultipartBody, multipartParts } from '../../../lambda/http/multipart.ts';
import type { ByteRange } from '../../../lambda/http/types.ts';

/** Write the body the way the transport does: each head, the part's bytes, then the tail. */
const assemble = (body: MultipartBody, object: Buffer): Buffer =>
  Buffer.concat([
    ...body.parts.flatMap((part) => [
      Buffer.from(part.head, 'utf8'),
      object.subarray(part.range.start, part.range.end + 1),
    ]),
    Buffer.from(body.tail, 'utf8'),
  ]);

describe('multipartParts (RFC 9110 14.6)', () => {
  test('frames each part and the close delimiter exactly', () => {
    // Prepare
    const object = Buffer.from('0123456789');
    const ranges: ByteRange[] = [
      { start: 0, end: 1 },
      { start: 5, end: 6 },
    ];
    // Act
    const body = multipartParts(ranges, 10, 'video/mp4', 'BOUNDARY');
    // Assess
    const expected =
      '\r\n--BOUNDARY\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-1/10\r\n\r\n01' +
      '\r\n--BOUNDARY\r\nContent-Type: video/mp4\r\nContent-Range: bytes 5-6/10\r\n\r\n56' +
      '\r\n--BOUNDARY--\r\n';
    expect(assemble(body, object).toString('latin1')).toBe(expected);
    expect(body.length).toBe(Buffer.byteLength(expected));
    expect(body.parts.map((part) => part.range)).toEqual(ranges);
  });

  test.each(['', 'a'.repeat(71), 'has space', 'semi;colon', 'quote"', 'crlf\r\n', 'é'])(
    'refuses boundary %j',
    (boundary) => {
      // Prepare / Act
      const act = (): unknown => multipartParts([{ start: 0, end: 0 }], 1, 'video/mp4', boundary);
      // Assess
      expect(act).toThrow(RangeError);
    },
  );

  test('refuses a part Content-Type that could inject a header line', () => {
    // Prepare / Act
    const act = (): unknown => multipartParts([{ start: 0, end: 0 }], 1, 'video/mp4\r\nX-Evil: 1', 'b');
    // Assess
    expect(act).toThrow(RangeError);
  });

  test('property: length is the exact byte count, and every part parses back to the bytes of its range', () => {
    const input = fc.uint8Array({ minLength: 1, maxLength: 300 }).chain((bytes) =>
      fc.tuple(
        fc.constant(Buffer.from(bytes)),
        fc.array(
          fc
            .tuple(fc.nat({ max: bytes.length - 1 }), fc.nat({ max: bytes.length - 1 }))
            .map(([x, y]) => ({ start: Math.min(x, y), end: Math.max(x, y) })),
          { minLength: 1, maxLength: 8 },
        ),
        fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/),
      ),
    );
    fc.assert(
      fc.property(input, ([object, raw, boundary]) => {
        // Prepare
        const ranges = coalesceRanges(raw);
        // Act
        const body = multipartParts(ranges, object.length, 'audio/mpeg', boundary);
        // Assess
        const wire = assemble(body, object);
        expect(wire.length).toBe(body.length);
        let offset = 0;
        for (const range of ranges) {
          const head = Buffer.from(
            `\r\n--${boundary}\r\nContent-Type: audio/mpeg\r\nContent-Range: bytes ${range.start}-${range.end}/${object.length}\r\n\r\n`,
          );
          expect(wire.subarray(offset, offset + head.length).equals(head)).toBe(true);
          offset += head.length;
          const length = range.end - range.start + 1;
          expect(wire.subarray(offset, offset + length).equals(object.subarray(range.start, range.end + 1))).toBe(true);
          offset += length;
        }
        expect(wire.subarray(offset).toString('latin1')).toBe(`\r\n--${boundary}--\r\n`);
      }),
    );
  });
});
