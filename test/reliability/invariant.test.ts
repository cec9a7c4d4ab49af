/**
 * The invariant checker every reliability test leans on must itself reject each way a response can lie:
 * a wrong byte, a silent short end, bytes of another version, a Content-Range or Content-Length that does not
 * match, a multipart part with extra or wrong bytes. Otherwise the other tests would pass vacuously.
 */
import { describe, expect, test } from '@jest/globals';
import { checkResponse, InvariantViolation, type ObservedResponse } from './support/invariant.ts';
import { objectBytes } from './support/rig.ts';

const V1 = objectBytes(1000, 1);
const V2 = objectBytes(1000, 2);
const versions = new Map([
  ['"v1"', V1],
  ['"v2"', V2],
]);

function response(partial: Partial<ObservedResponse> & Pick<ObservedResponse, 'status' | 'body'>): ObservedResponse {
  return { headers: { etag: '"v1"' }, complete: true, ...partial };
}

function multipart(parts: ReadonlyArray<[number, number, Buffer]>, tail = true): Buffer {
  const pieces: Buffer[] = [];
  for (const [start, end, bytes] of parts) {
    pieces.push(Buffer.from(`\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes ${start}-${end}/1000\r\n\r\n`));
    pieces.push(bytes);
  }
  if (tail) pieces.push(Buffer.from('\r\n--B--\r\n'));
  return Buffer.concat(pieces);
}

const MULTIPART = { etag: '"v1"', 'content-type': 'multipart/byteranges; boundary=B' };

describe('checkResponse', () => {
  test.each([
    [
      '206 slice',
      response({
        status: 206,
        headers: { etag: '"v1"', 'content-range': 'bytes 10-19/1000' },
        body: V1.subarray(10, 20),
      }),
      { kind: 'exact', bytes: 10 },
    ],
    ['200 whole', response({ status: 200, body: V1 }), { kind: 'exact', bytes: 1000 }],
    ['200 of v2', response({ status: 200, headers: { etag: '"v2"' }, body: V2 }), { kind: 'exact', bytes: 1000 }],
    [
      'cut short, no clean end',
      response({ status: 200, body: V1.subarray(0, 500), complete: false }),
      { kind: 'incomplete', declared: 1000, received: 500 },
    ],
    [
      'all bytes but no terminator',
      response({ status: 200, body: V1, complete: false }),
      { kind: 'incomplete', declared: 1000, received: 1000 },
    ],
    [
      '416 bytes */size',
      response({ status: 416, headers: { 'content-range': 'bytes */1000' }, body: Buffer.alloc(0) }),
      { kind: 'no-content', status: 416 },
    ],
    ['304', response({ status: 304, body: Buffer.alloc(0) }), { kind: 'no-content', status: 304 }],
    ['503', response({ status: 503, body: Buffer.from('Service Unavailable') }), { kind: 'server-error', status: 503 }],
    ['HEAD 200', response({ method: 'HEAD', status: 200, body: Buffer.alloc(0) }), { kind: 'no-content', status: 200 }],
    [
      'multipart exact',
      response({
        status: 206,
        headers: MULTIPART,
        body: multipart([
          [0, 9, V1.subarray(0, 10)],
          [500, 509, V1.subarray(500, 510)],
        ]),
      }),
      { kind: 'exact', bytes: 20 },
    ],
    [
      'multipart cut inside a part',
      response({
        status: 206,
        headers: MULTIPART,
        body: multipart(
          [
            [0, 9, V1.subarray(0, 10)],
            [500, 509, V1.subarray(500, 505)],
          ],
          false,
        ),
        complete: false,
      }),
      { kind: 'incomplete' },
    ],
  ])('accepts %s', (_name, observed, verdict) => {
    // Act
    const result = checkResponse(observed, versions);

    // Assess
    expect(result).toMatchObject(verdict);
  });

  const wrongByte = Buffer.from(V1.subarray(10, 20));
  wrongByte[5] = (wrongByte[5] ?? 0) ^ 0xff;
  test.each([
    [
      'a wrong byte',
      response({ status: 206, headers: { etag: '"v1"', 'content-range': 'bytes 10-19/1000' }, body: wrongByte }),
      /byte 5 differs/,
    ],
    ['a clean short end', response({ status: 200, body: V1.subarray(0, 999) }), /clean end after 999 of 1000/],
    [
      'bytes of another version',
      response({ status: 200, body: Buffer.concat([V1.subarray(0, 500), V2.subarray(500)]) }),
      /byte 500 differs/,
    ],
    ['an unknown ETag', response({ status: 200, headers: { etag: '"v9"' }, body: V1 }), /names no stored version/],
    [
      'more bytes than claimed',
      response({ status: 206, headers: { etag: '"v1"', 'content-range': 'bytes 0-9/1000' }, body: V1.subarray(0, 11) }),
      /differs/,
    ],
    [
      'a Content-Range past the end',
      response({
        status: 206,
        headers: { etag: '"v1"', 'content-range': 'bytes 990-1000/1000' },
        body: V1.subarray(990),
      }),
      /does not fit/,
    ],
    [
      'a wrong complete-length',
      response({ status: 206, headers: { etag: '"v1"', 'content-range': 'bytes 0-9/999' }, body: V1.subarray(0, 10) }),
      /does not fit/,
    ],
    [
      'a lying Content-Length',
      response({ status: 200, headers: { etag: '"v1"', 'content-length': '999' }, body: V1 }),
      /Content-Length 999/,
    ],
    [
      'a 416 with a byte range',
      response({ status: 416, headers: { 'content-range': 'bytes 0-1/1000' }, body: Buffer.alloc(0) }),
      /416 with Content-Range/,
    ],
    [
      'a HEAD with a body',
      response({ method: 'HEAD', status: 200, body: Buffer.from('x') }),
      /HEAD answered with 1 body bytes/,
    ],
    [
      'a multipart part with a wrong byte',
      response({ status: 206, headers: MULTIPART, body: multipart([[0, 9, V2.subarray(0, 10)]]) }),
      /part 0: byte 0 differs/,
    ],
    [
      'a multipart part with an extra byte',
      response({ status: 206, headers: MULTIPART, body: multipart([[0, 9, V1.subarray(0, 11)]]) }),
      /not followed by a boundary/,
    ],
    [
      'a multipart body ending cleanly mid-part',
      response({ status: 206, headers: MULTIPART, body: multipart([[0, 9, V1.subarray(0, 5)]], false) }),
      /ended cleanly/,
    ],
  ])('rejects %s', (_name, observed, message) => {
    // Act
    const check = () => checkResponse(observed, versions);

    // Assess
    expect(check).toThrow(InvariantViolation);
    expect(check).toThrow(message);
  });
});
