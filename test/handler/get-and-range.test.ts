/**
 * The real handler module through the test `awslambda` (runtime wire format), S3 mocked by aws-sdk-client-mock:
 * plain GET, single ranges, open-ended capping (browsers only), suffix, 416, multipart, HEAD, empty objects, the
 * response budget redirect, and the S3 request cost of each.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { INTEGRATION_CONTENT_TYPE } from '../../local/runtimes/wire-format.ts';
import type { FakeS3, StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { boundaryOf, parseMultipartByteranges } from '../support/parse-multipart.ts';
import { patternBytes } from '../support/s3-body.ts';
import { BROWSER_USER_AGENT, NON_FOLLOWING_USER_AGENTS } from '../support/user-agents.ts';
import { BUCKET, fakeS3EachTest, type LoadedHandler, loadHandler } from './handler-harness.ts';

const clip = patternBytes(1000, 1);
const big = patternBytes(6000, 2);
const etag = '"c1ip"';
const lastModified = new Date('2025-01-02T03:04:05Z');
const objects = new Map<string, StoredObject>([
  ['media/clip.mp4', { body: clip, etag, lastModified, contentType: 'video/mp4' }],
  ['media/big.mp4', { body: big, etag: '"b1g"', lastModified, contentType: 'video/mp4' }],
  ['media/empty.txt', { body: Buffer.alloc(0), etag: '"e"', lastModified, contentType: 'text/plain' }],
]);

let loaded: LoadedHandler;
// Every S3 body opened must be read to its end or destroyed (aws-sdk-js-v3 #6691): checked after each test.
const installFake = fakeS3EachTest(objects);
let fake: FakeS3;

beforeAll(async () => {
  loaded = await loadHandler({ KEY_PREFIX: 'media/', OPEN_RANGE_CAP_BYTES: '100', MAX_RESPONSE_BYTES: '5000' });
});

function serve(): FakeS3 {
  fake = installFake();
  return fake;
}

describe('GET without Range', () => {
  test('200 with every byte, in the runtime wire format, for exactly one GetObject without Range', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }), 'req-get');

    // Assess
    expect(response.contentType).toBe(INTEGRATION_CONTENT_TYPE);
    expect(response.prelude).toBeDefined();
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'video/mp4',
      'content-length': '1000',
      'accept-ranges': 'bytes',
      etag,
      'last-modified': 'Thu, 02 Jan 2025 03:04:05 GMT',
    });
    expect(response.body.equals(clip)).toBe(true);
    expect(response.cleanEnd).toBe(true);
    expect(fake.calls).toHaveLength(1);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'media/clip.mp4' }]);
  });

  test('one structured log line: request id, key, status, bytes, S3 requests, outcome', async () => {
    // Prepare
    serve();
    const before = loaded.logs.length;

    // Act
    await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=10-19' } }), 'req-log');
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(logs).toHaveLength(before + 1);
    expect(logs[before]).toMatchObject({
      requestId: 'req-log',
      method: 'GET',
      key: 'media/clip.mp4',
      rangeAsked: 'bytes=10-19',
      rangeServed: '10-19',
      status: 206,
      bytesSent: 10,
      s3Requests: 1,
      resumes: 0,
      outcome: 'complete',
    });
    expect(typeof logs[before]?.durationMs).toBe('number');
    expect(typeof logs[before]?.s3FirstByteMs).toBe('number');
  });
});

describe('GET with one range: exactly one S3 request', () => {
  test.each([
    ['Safari probe', 'bytes=0-1', 'bytes=0-1', 0, 1],
    ['bounded', 'bytes=100-199', 'bytes=100-199', 100, 199],
    ['bounded past the end is clamped', 'bytes=950-2000', 'bytes=950-2000', 950, 999],
    ['open-ended without a User-Agent: the exact remainder', 'bytes=500-', 'bytes=500-', 500, 999],
    ['suffix', 'bytes=-100', 'bytes=-100', 900, 999],
    ['suffix longer than the object', 'bytes=-5000', 'bytes=-5000', 0, 999],
  ])('%s: %s', async (_name, range, sent, start, end) => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { range } }));

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.body.equals(clip.subarray(start, end + 1))).toBe(true);
    expect(response.cleanEnd).toBe(true);
    expect(fake.calls).toHaveLength(1);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'media/clip.mp4', Range: sent }]);
  });

  test.each([
    ['a browser: capped at OPEN_RANGE_CAP_BYTES', BROWSER_USER_AGENT, 'bytes=500-', 'bytes=500-599', 500, 599],
    ['a browser near the end: clamped at EOF', BROWSER_USER_AGENT, 'bytes=950-', 'bytes=950-1049', 950, 999],
    ['ffmpeg: the exact remainder', NON_FOLLOWING_USER_AGENTS.ffmpeg, 'bytes=500-', 'bytes=500-', 500, 999],
    ['curl: the exact remainder', NON_FOLLOWING_USER_AGENTS.curl, 'bytes=500-', 'bytes=500-', 500, 999],
    [
      'behind CloudFront: the exact remainder',
      NON_FOLLOWING_USER_AGENTS.cloudFront,
      'bytes=950-',
      'bytes=950-',
      950,
      999,
    ],
  ])('open-ended from %s', async (_name, userAgent, range, sent, start, end) => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range, 'user-agent': userAgent } }),
    );

    // Assess: the one GetObject asked S3 for exactly the slice the 206 carries
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.body.equals(clip.subarray(start, end + 1))).toBe(true);
    expect(response.cleanEnd).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'media/clip.mp4', Range: sent }]);
  });

  test('416 when the range starts past the end: S3 416, then HeadObject for the preconditions', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=5000-' } }));

    // Assess
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe('bytes */1000');
    expect(response.body).toHaveLength(0);
    expect(response.cleanEnd).toBe(true);
    expect(fake.calls.map((call) => call.command)).toEqual(['GetObject', 'HeadObject']);
  });
});

describe('GET with several ranges: multipart/byteranges', () => {
  test('206 multipart: HeadObject, then each part its own GetObject pinned with If-Match, bytes exact', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=0-9, 500-509, 990-' } }),
    );

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-length']).toBe(String(response.body.length));
    const parts = parseMultipartByteranges(response.body, boundaryOf(response.headers['content-type']));
    expect(parts.map(({ start, end, size }) => ({ start, end, size }))).toEqual([
      { start: 0, end: 9, size: 1000 },
      { start: 500, end: 509, size: 1000 },
      { start: 990, end: 999, size: 1000 },
    ]);
    for (const part of parts) {
      expect(part.headers['content-type']).toBe('video/mp4');
      expect(part.data.equals(clip.subarray(part.start, part.end + 1))).toBe(true);
    }
    expect(fake.calls.map((call) => call.command)).toEqual(['HeadObject', 'GetObject', 'GetObject', 'GetObject']);
    expect(fake.getInputs()).toEqual([
      { Bucket: BUCKET, Key: 'media/clip.mp4', Range: 'bytes=0-9', IfMatch: etag },
      { Bucket: BUCKET, Key: 'media/clip.mp4', Range: 'bytes=500-509', IfMatch: etag },
      { Bucket: BUCKET, Key: 'media/clip.mp4', Range: 'bytes=990-999', IfMatch: etag },
    ]);
    expect(response.cleanEnd).toBe(true);
  });
});

describe('HEAD', () => {
  test.each([[undefined], ['bytes=0-1']])('HeadObject only, never a body (Range %s ignored)', async (range) => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ method: 'HEAD', path: '/clip.mp4', headers: range === undefined ? {} : { range } }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('1000');
    expect(response.headers['content-range']).toBeUndefined();
    expect(response.body).toHaveLength(0);
    expect(response.cleanEnd).toBe(true);
    expect(fake.calls.map((call) => call.command)).toEqual(['HeadObject']);
  });
});

describe('empty object', () => {
  test('200 with Content-Length 0 and no body bytes', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/empty.txt' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('0');
    expect(response.body).toHaveLength(0);
    expect(response.cleanEnd).toBe(true);
  });
});

describe('response budget (MAX_RESPONSE_BYTES=5000)', () => {
  test('GET of a larger object: 307 to a presigned GET URL, no body, first S3 body destroyed', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/big.mp4' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(response.body).toHaveLength(0);
    const location = new URL(response.headers.location ?? '');
    expect(location.hostname).toBe(`${BUCKET}.s3.us-east-1.amazonaws.com`);
    expect(location.pathname).toBe('/media/big.mp4');
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  test('HEAD of it: 307 as well (HEAD answers like the GET it mirrors), presigned for HEAD', async () => {
    // Prepare
    serve();

    // Act
    const head = await loaded.invoke(functionUrlEvent({ method: 'HEAD', path: '/big.mp4' }));
    serve();
    const get = await loaded.invoke(functionUrlEvent({ path: '/big.mp4' }));

    // Assess
    expect(head.statusCode).toBe(307);
    const signature = (url: string | undefined) => new URL(url ?? '').searchParams.get('X-Amz-Signature');
    expect(signature(head.headers.location)).not.toBe(signature(get.headers.location));
  });

  test('an open-ended range from a non-browser beyond the budget: 307, not a short 206', async () => {
    // Prepare
    serve();

    // Act
    const tool = await loaded.invoke(
      functionUrlEvent({
        path: '/big.mp4',
        headers: { range: 'bytes=0-', 'user-agent': NON_FOLLOWING_USER_AGENTS.vlc },
      }),
    );
    serve();
    const browser = await loaded.invoke(
      functionUrlEvent({ path: '/big.mp4', headers: { range: 'bytes=0-', 'user-agent': BROWSER_USER_AGENT } }),
    );

    // Assess
    expect(tool.statusCode).toBe(307);
    expect(tool.body).toHaveLength(0);
    expect(browser.statusCode).toBe(206);
    expect(browser.headers['content-range']).toBe('bytes 0-99/6000');
    expect(browser.body.equals(big.subarray(0, 100))).toBe(true);
  });

  test('a range within the budget is streamed, not redirected', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/big.mp4', headers: { range: 'bytes=0-99' } }));

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.body.equals(big.subarray(0, 100))).toBe(true);
  });
});

describe('keys', () => {
  test('the prefix is applied and a percent-encoded path is decoded once', async () => {
    // Prepare
    serve();

    // Act
    await loaded.invoke(functionUrlEvent({ path: '/dir%2Fa%20b.mp4' }));

    // Assess
    expect(fake.getInputs()[0]?.Key).toBe('media/dir/a b.mp4');
  });
});
