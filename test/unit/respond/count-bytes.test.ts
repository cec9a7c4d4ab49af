import { PassThrough, pipeline, Readable, Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { BodyLengthError, type BodySummary, countBytes } from '../../../lambda/respond/count-bytes.ts';
import { BodyIncompleteError } from '../../../lambda/storage/storage-errors.ts';
import { collect } from '../../support/collect-stream.ts';
import { testBody } from '../../support/s3-body.ts';

function summaryOf(source: Readable, expected: number): { stream: Readable; done: Promise<BodySummary> } {
  let resolve: (summary: BodySummary) => void = () => {};
  const done = new Promise<BodySummary>((r) => {
    resolve = r;
  });
  return { stream: countBytes(source, expected, resolve), done };
}

describe('countBytes', () => {
  test('passes the bytes through and reports a complete body', async () => {
    // Prepare
    const { stream, done } = summaryOf(testBody(Buffer.from('0123456789')), 10);

    // Act
    const result = await collect(stream);

    // Assess
    expect(result).toEqual({ data: Buffer.from('0123456789'), ended: true, error: undefined });
    expect(await done).toEqual({ outcome: 'complete', bytesSent: 10, error: undefined });
  });

  test('a body that ends cleanly short of the promised length becomes an error, never a clean end', async () => {
    // Prepare
    const { stream, done } = summaryOf(testBody(Buffer.from('01234')), 10);

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBeInstanceOf(BodyLengthError);
    expect(await done).toMatchObject({ outcome: 'truncated', bytesSent: 5 });
  });

  test('a body longer than promised is stopped with an error (framing would break)', async () => {
    // Prepare
    const { stream, done } = summaryOf(Readable.from([Buffer.from('0123456789AB')]), 10);

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBeInstanceOf(BodyLengthError);
    expect((await done).outcome).toBe('truncated');
  });

  test('a body that gave up (BodyIncompleteError) is reported truncated', async () => {
    // Prepare
    const failure = new BodyIncompleteError({ start: 0, end: 9 }, 4, 3, 'S3 body failed');
    const { stream, done } = summaryOf(
      testBody(Buffer.from('0123456789'), { fault: 'error', after: 4, error: failure }),
      10,
    );

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.error).toBe(failure);
    expect(await done).toMatchObject({ outcome: 'truncated', bytesSent: 4, error: failure });
  });

  test('the response side going away is reported aborted, and the source is destroyed', async () => {
    // Prepare
    const source = testBody(Buffer.alloc(1000), { fault: 'stall', after: 8 });
    const { stream, done } = summaryOf(source, 1000);
    const viewer = new PassThrough();
    pipeline(stream, viewer, () => {});
    await new Promise((resolve) => viewer.once('data', resolve));

    // Act
    viewer.destroy(new Error('viewer went away'));

    // Assess
    expect((await done).outcome).toBe('aborted');
    expect(source.destroyed).toBe(true);
  });

  test('an empty body with nothing promised is complete', async () => {
    // Prepare
    const { stream, done } = summaryOf(Readable.from([]), 0);

    // Act
    stream.pipe(new Writable({ write: (_chunk, _encoding, callback) => callback() }));

    // Assess
    expect(await done).toEqual({ outcome: 'complete', bytesSent: 0, error: undefined });
  });
});
