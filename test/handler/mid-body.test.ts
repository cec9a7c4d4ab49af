/**
 * Failures after the status line: the S3 body errors, ends short or goes silent mid-stream. The handler
 * resumes from the next byte with a ranged GetObject pinned by If-Match; when it cannot (object replaced:
 * 412, or attempts spent) the response is VISIBLY incomplete: the response stream is destroyed with an error
 * and the invocation fails, never a clean end after fewer bytes than Content-Length promised.
 */
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { BodyIncompleteError } from '../../lambda/storage/storage-errors.ts';
import { CapturingResponseStream } from '../support/capturing-response-stream.ts';
import { type FakeS3, type FakeS3Call, type Fault, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { boundaryOf, parseMultipartByteranges } from '../support/parse-multipart.ts';
import { created, leakedBodies, patternBytes, resetBodies } from '../support/s3-body.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const v1 = patternBytes(1000, 5);
const v2 = patternBytes(1000, 6);
const lastModified = new Date('2025-01-01T00:00:00Z');

let loaded: LoadedHandler;
let fake: FakeS3;

beforeAll(async () => {
  // The idle timeout leaves room for a loaded machine's scheduling gaps between the fake body's chunks (a 50 ms
  // one fired between healthy chunks under load and resumed early); the stall cases still wait it out.
  loaded = await loadHandler({ S3_IDLE_TIMEOUT_MS: '400', RESUME_ATTEMPTS: '2' });
});
afterEach(() => {
  fake.mock.restore();
  // Every S3 body, including abandoned ones, was destroyed or read to its end (aws-sdk-js-v3 #6691).
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

function serve(fault: (call: FakeS3Call, objects: Map<string, StoredObject>) => Fault | undefined): FakeS3 {
  const objects = new Map<string, StoredObject>([['clip.mp4', { body: v1, etag: '"v1"', lastModified }]]);
  fake = installFakeS3({ bucket: BUCKET, objects, chunkSize: 16, fault: (call) => fault(call, objects) });
  return fake;
}

const pins = () => fake.getInputs().map((input) => ({ Range: input.Range, IfMatch: input.IfMatch }));

describe('resume', () => {
  test.each([
    ['errors (socket reset)', { fault: 'error', after: 320 }],
    ['ends cleanly but short', { fault: 'end', after: 320 }],
    ['goes silent (idle timeout)', { fault: 'stall', after: 320 }],
  ] as const)(
    'the S3 body %s after 320 bytes: resumed at byte 320 pinned with If-Match, bytes exact',
    async (_name, body) => {
      // Prepare
      serve((call) => (call.index === 0 ? { body } : undefined));
      const before = loaded.logs.length;

      // Act
      const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }));
      const logs = await loaded.waitForLogs(before + 1);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.body.equals(v1)).toBe(true);
      expect(response.cleanEnd).toBe(true);
      expect(pins()).toEqual([
        { Range: undefined, IfMatch: undefined },
        { Range: 'bytes=320-999', IfMatch: '"v1"' },
      ]);
      expect(logs[before]).toMatchObject({
        status: 200,
        bytesSent: 1000,
        s3Requests: 2,
        resumes: 1,
        outcome: 'resumed 1',
      });
    },
  );

  test('a single range resumes up to the range end, not the object end', async () => {
    // Prepare
    serve((call) => (call.index === 0 ? { body: { fault: 'error', after: 48 } } : undefined));

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=100-299' } }));

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.body.equals(v1.subarray(100, 300))).toBe(true);
    expect(response.cleanEnd).toBe(true);
    expect(pins()).toEqual([
      { Range: 'bytes=100-299', IfMatch: undefined },
      { Range: 'bytes=148-299', IfMatch: '"v1"' },
    ]);
  });

  test('a multipart part failing mid-part resumes inside that part', async () => {
    // Prepare: call 0 HeadObject, 1 part one, 2 part two (fails after 8 bytes), 3 its resume.
    serve((call) => (call.index === 2 ? { body: { fault: 'error', after: 8 } } : undefined));

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=0-9,500-599' } }),
    );

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.cleanEnd).toBe(true);
    const parts = parseMultipartByteranges(response.body, boundaryOf(response.headers['content-type']));
    for (const part of parts) expect(part.data.equals(v1.subarray(part.start, part.end + 1))).toBe(true);
    expect(pins()).toEqual([
      { Range: 'bytes=0-9', IfMatch: '"v1"' },
      { Range: 'bytes=500-599', IfMatch: '"v1"' },
      { Range: 'bytes=508-599', IfMatch: '"v1"' },
    ]);
  });
});

describe('giving up is visible', () => {
  test('the object is replaced mid-body: resume gets 412, the handler rejects with the stream left unended', async () => {
    // Prepare: v1 fails after 320 bytes and is replaced by v2 before the resume.
    serve((call, objects) => {
      if (call.index === 0) return { body: { fault: 'error', after: 320 } };
      objects.set('clip.mp4', { body: v2, etag: '"v2"', lastModified });
      return undefined;
    });
    const before = loaded.logs.length;

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }));
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('1000');
    // The handler rejects and the runtime's stream is neither ended nor destroyed by us: the runtime then ends
    // it with error trailers (lambda/respond/guard-response-stream.ts explains why destroying it is fatal).
    expect(response.cleanEnd).toBe(false);
    expect(response.streamError).toBeUndefined();
    expect(response.handlerError).toBeInstanceOf(BodyIncompleteError);
    // Only v1's bytes were sent, and fewer than promised: never spliced with v2.
    expect(response.body.length).toBeLessThan(1000);
    expect(response.body.equals(v1.subarray(0, response.body.length))).toBe(true);
    expect(pins()).toEqual([
      { Range: undefined, IfMatch: undefined },
      { Range: 'bytes=320-999', IfMatch: '"v1"' },
    ]);
    expect(logs[before]).toMatchObject({ status: 200, outcome: 'truncated' });
  });

  test('every resume fails too: after RESUME_ATTEMPTS re-reads the handler rejects, never a clean end', async () => {
    // Prepare
    serve(() => ({ body: { fault: 'error', after: 16 } }));

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }));

    // Assess
    expect(response.cleanEnd).toBe(false);
    expect(response.streamError).toBeUndefined();
    expect(response.handlerError).toBeInstanceOf(BodyIncompleteError);
    expect(response.body.equals(v1.subarray(0, 48))).toBe(true);
    expect(pins()).toEqual([
      { Range: undefined, IfMatch: undefined },
      { Range: 'bytes=16-999', IfMatch: '"v1"' },
      { Range: 'bytes=32-999', IfMatch: '"v1"' },
    ]);
    expect(created.every((body) => body.destroyed)).toBe(true);
  });
});

describe('the viewer goes away', () => {
  test('response stream destroyed mid-body: the S3 body is destroyed and the log line says aborted', async () => {
    // Prepare: a response stream that breaks (like a closed connection) once 200 bytes went through.
    class BreakingResponseStream extends CapturingResponseStream {
      #seen = 0;
      override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
        this.#seen += chunk.length;
        if (this.#seen > 200) {
          callback(new Error('viewer connection closed'));
          return;
        }
        super._write(chunk, encoding, callback);
      }
    }
    serve((call) => (call.index === 0 ? { body: { fault: 'stall', after: 600 } } : undefined));
    const before = loaded.logs.length;

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4' }),
      'req-abort',
      new BreakingResponseStream(),
    );
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(response.cleanEnd).toBe(false);
    expect(logs[before]).toMatchObject({ requestId: 'req-abort', status: 200, outcome: 'aborted', s3Requests: 1 });
    expect(created).toHaveLength(1);
    expect(created[0]?.destroyed).toBe(true);
  });
});
