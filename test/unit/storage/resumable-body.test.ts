import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { ServiceUnavailableError } from '../../../lambda/errors.ts';
import type { ByteRange } from '../../../lambda/http/types.ts';
import { type OpenRange, ResumableBody, type ResumeEvent } from '../../../lambda/storage/resumable-body.ts';
import { BodyIncompleteError, ObjectChangedError } from '../../../lambda/storage/storage-errors.ts';
import { collect } from '../../support/collect-stream.ts';
import {
  created,
  leakedBodies,
  patternBytes,
  resetBodies,
  type TestBodyOptions,
  testBody,
} from '../../support/s3-body.ts';

const object = patternBytes(1000);
const slice = (range: ByteRange): Buffer => object.subarray(range.start, range.end + 1);

type Answer = TestBodyOptions | Error | { readonly served: ByteRange };

/** An `open` over `object` that answers each call with the next scripted fault (or a healthy body). */
function scriptedOpen(answers: readonly Answer[] = []): { open: OpenRange; calls: ByteRange[] } {
  const calls: ByteRange[] = [];
  const open: OpenRange = async (range) => {
    const answer = answers[calls.length];
    calls.push(range);
    if (answer instanceof Error) throw answer;
    if (answer !== undefined && 'served' in answer) {
      return { body: testBody(slice(answer.served)), servedRange: answer.served };
    }
    return { body: testBody(slice(range), answer ?? {}), servedRange: range };
  };
  return { open, calls };
}

function body(
  range: ByteRange,
  open: OpenRange,
  options: { first?: TestBodyOptions & { served?: ByteRange }; attempts?: number; idleTimeoutMs?: number } = {},
): { stream: ResumableBody; resumes: ResumeEvent[] } {
  const resumes: ResumeEvent[] = [];
  const served = options.first?.served ?? range;
  const stream = new ResumableBody({
    range,
    ...(options.first === undefined
      ? {}
      : { first: { body: testBody(slice(served), options.first), servedRange: served } }),
    open,
    resumeAttempts: options.attempts ?? 3,
    idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    backoffMs: () => 0,
    onResume: (event) => resumes.push(event),
  });
  return { stream, resumes };
}

beforeEach(() => resetBodies());
afterEach(() => {
  // Every S3 body is released on every path (aws-sdk-js-v3 #6691).
  expect(leakedBodies()).toEqual([]);
});

describe('ResumableBody: healthy bodies', () => {
  test('emits exactly the range from the first body without opening anything', async () => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream } = body({ start: 100, end: 299 }, open, { first: {} });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result).toEqual({ data: slice({ start: 100, end: 299 }), ended: true, error: undefined });
    expect(calls).toEqual([]);
    expect(stream.resumes).toBe(0);
  });

  test('a first body carrying more than the range is cut at the end and destroyed', async () => {
    // Prepare
    const { open } = scriptedOpen();
    const { stream } = body({ start: 0, end: 9 }, open, { first: { served: { start: 0, end: 999 } } });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.data).toEqual(slice({ start: 0, end: 9 }));
    expect(result.ended).toBe(true);
    expect(created[0]?.destroyed).toBe(true);
    expect(created[0]?.offset).toBeLessThan(1000);
  });

  test('a body whose last byte is the last wanted byte is read to its end, not destroyed (socket reuse)', async () => {
    // Prepare: destroying an S3 body closes its socket; one that ends on its own goes back to the keep-alive
    // pool. Measured by the benchmark: one new S3 connection per request before this rule.
    const { open } = scriptedOpen();
    const { stream } = body({ start: 100, end: 299 }, open, { first: {} });

    // Act
    const result = await collect(stream);
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(result.data).toEqual(slice({ start: 100, end: 299 }));
    // 'end' was emitted: the body was drained to its natural end (a destroy before that never emits it).
    expect(created[0]?.readableEnded).toBe(true);
    expect(created[0]?.errored).toBeNull();
  });

  test('without a first body, nothing is opened until the consumer reads', async () => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream } = body({ start: 5, end: 14 }, open);
    await new Promise((resolve) => setImmediate(resolve));
    const openedBeforeRead = calls.length;

    // Act
    const result = await collect(stream);

    // Assess
    expect(openedBeforeRead).toBe(0);
    expect(calls).toEqual([{ start: 5, end: 14 }]);
    expect(result.data).toEqual(slice({ start: 5, end: 14 }));
  });

  test('a store answering from an earlier byte is skipped forward, not spliced', async () => {
    // Prepare
    const { open } = scriptedOpen([{ served: { start: 0, end: 999 } }]);
    const { stream } = body({ start: 500, end: 599 }, open);

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.data).toEqual(slice({ start: 500, end: 599 }));
    expect(result.ended).toBe(true);
  });
});

describe('ResumableBody: mid-body failures resume from the next byte', () => {
  test.each([
    ['errors', { fault: 'error', after: 37 }],
    ['ends cleanly but short', { fault: 'end', after: 37 }],
  ] as const)('first body %s after 37 bytes -> re-read 37..end, bytes exact', async (_name, fault) => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream, resumes } = body({ start: 100, end: 299 }, open, { first: fault });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result).toEqual({ data: slice({ start: 100, end: 299 }), ended: true, error: undefined });
    expect(calls).toEqual([{ start: 137, end: 299 }]);
    expect(resumes.map(({ attempt, nextByte }) => ({ attempt, nextByte }))).toEqual([{ attempt: 1, nextByte: 137 }]);
    expect(stream.resumes).toBe(1);
  });

  test('a body that goes silent is abandoned after the idle timeout and resumed', async () => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'stall', after: 20 }, idleTimeoutMs: 30 });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.data).toEqual(slice({ start: 0, end: 99 }));
    expect(result.ended).toBe(true);
    expect(calls).toEqual([{ start: 20, end: 99 }]);
    expect(created[0]?.destroyed).toBe(true);
  });

  test('failures in a row: each resume starts where the last one stopped', async () => {
    // Prepare
    const { open, calls } = scriptedOpen([
      { fault: 'error', after: 10 },
      new ServiceUnavailableError(),
      { fault: 'end', after: 5 },
    ]);
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'error', after: 20 }, attempts: 4 });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.data).toEqual(slice({ start: 0, end: 99 }));
    expect(result.ended).toBe(true);
    expect(calls).toEqual([
      { start: 20, end: 99 },
      { start: 30, end: 99 },
      { start: 30, end: 99 },
      { start: 35, end: 99 },
    ]);
  });
});

describe('ResumableBody: giving up is visible', () => {
  test('attempts spent -> destroyed with BodyIncompleteError after a strict prefix, never a clean end', async () => {
    // Prepare
    const { open, calls } = scriptedOpen([
      { fault: 'error', after: 10 },
      { fault: 'error', after: 10 },
    ]);
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'error', after: 10 }, attempts: 2 });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBeInstanceOf(BodyIncompleteError);
    expect(result.error).toMatchObject({ delivered: 30, attempts: 2, range: { start: 0, end: 99 } });
    expect(result.data).toEqual(slice({ start: 0, end: 29 }));
    expect(calls).toHaveLength(2);
  });

  test('412 on resume (object replaced) -> gives up at once: two versions are never spliced', async () => {
    // Prepare
    const { open, calls } = scriptedOpen([new ObjectChangedError('"v1"')]);
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'error', after: 40 }, attempts: 3 });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBeInstanceOf(BodyIncompleteError);
    expect((result.error as BodyIncompleteError).cause).toBeInstanceOf(ObjectChangedError);
    expect(result.data).toEqual(slice({ start: 0, end: 39 }));
    expect(calls).toHaveLength(1);
  });

  test('resumeAttempts 0 (nothing to pin with): the first failure is final', async () => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'end', after: 50 }, attempts: 0 });

    // Act
    const result = await collect(stream);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBeInstanceOf(BodyIncompleteError);
    expect(calls).toEqual([]);
  });
});

describe('ResumableBody: releasing S3 bodies', () => {
  test('destroying it mid-stream destroys the current S3 body', async () => {
    // Prepare
    const { open } = scriptedOpen();
    const { stream } = body({ start: 0, end: 999 }, open, { first: { fault: 'stall', after: 8 } });
    const firstChunk = new Promise((resolve) => stream.once('data', resolve));

    // Act
    await firstChunk;
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));

    // Assess
    expect(created[0]?.destroyed).toBe(true);
  });

  test('destroyed before the first read: the handed-over first body is destroyed too', async () => {
    // Prepare
    const { open, calls } = scriptedOpen();
    const { stream } = body({ start: 0, end: 99 }, open, { first: {} });

    // Act
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));

    // Assess
    expect(created[0]?.destroyed).toBe(true);
    expect(calls).toEqual([]);
  });

  test('a re-read that arrives after destroy is released at once', async () => {
    // Prepare
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Wait for the re-read itself, not for a fixed delay: how long the first body takes to fail varies with load.
    let reReadStarted: () => void = () => {};
    const reReading = new Promise<void>((resolve) => {
      reReadStarted = resolve;
    });
    const open: OpenRange = async (range) => {
      reReadStarted();
      await gate;
      return { body: testBody(slice(range)), servedRange: range };
    };
    const { stream } = body({ start: 0, end: 99 }, open, { first: { fault: 'error', after: 10 } });
    stream.resume();
    await reReading;

    // Act
    stream.destroy();
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Assess
    expect(created).toHaveLength(2);
    expect(created[1]?.destroyed).toBe(true);
  });

  test('destroyed synchronously by its consumer from a data handler: no idle timer outlives it', async () => {
    // Prepare
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const { open } = scriptedOpen();
    const { stream } = body({ start: 0, end: 999 }, open, {
      first: { fault: 'stall', after: 8 },
      idleTimeoutMs: 60_000,
    });
    stream.on('data', () => stream.destroy());

    // Act
    await new Promise((resolve) => stream.once('close', resolve));
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(timers()).toBe(before);
  });

  test('backpressure from a slow consumer is not mistaken for S3 going idle', async () => {
    // Prepare: more bytes than the stream buffers, a consumer that stops reading for longer than the timeout.
    const big = patternBytes(512 * 1024, 3);
    let opens = 0;
    const open: OpenRange = async (range) => {
      opens += 1;
      return { body: testBody(big.subarray(range.start, range.end + 1)), servedRange: range };
    };
    const stream = new ResumableBody({
      range: { start: 0, end: big.length - 1 },
      first: { body: testBody(big, { chunkSize: 16 * 1024 }), servedRange: { start: 0, end: big.length - 1 } },
      open,
      resumeAttempts: 3,
      // The pause is four times the idle timeout; both are long enough that a loaded machine's scheduling gaps
      // between chunks stay well below the timeout.
      idleTimeoutMs: 250,
      backoffMs: () => 0,
    });

    // Act
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      if (chunks.length === 2) await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    // Assess
    // Buffer.equals: jest's deep equality is very slow on half a megabyte.
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    expect(opens).toBe(0);
    expect(stream.resumes).toBe(0);
  });
});

test('ResumableBody is a plain Readable (pipeable by middy and pipeline)', () => {
  // Assess
  expect(
    new ResumableBody({ range: { start: 0, end: 0 }, open: scriptedOpen().open, resumeAttempts: 0, idleTimeoutMs: 1 }),
  ).toBeInstanceOf(Readable);
});
