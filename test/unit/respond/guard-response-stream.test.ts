/**
 * The guard middy pipes into instead of the runtime's response stream. What must hold: bytes, backpressure and
 * end() reach the runtime's stream; a failing source never destroys it (destroying it is fatal on Lambda, see
 * lambda/respond/guard-response-stream.ts); and when the runtime's stream goes away first, the pipeline still
 * fails so the S3 body is released.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { guardResponseStream, type RuntimeResponseStream } from '../../../lambda/respond/guard-response-stream.ts';
import { CapturingResponseStream } from '../../support/capturing-response-stream.ts';

/** A runtime-like stream whose write() reports backpressure until `drain()` is called. */
class SlowStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType = '';
  _onBeforeFirstWrite?: unknown;
  constructor() {
    super({ highWaterMark: 1 });
  }
  setContentType(contentType: string): void {
    this.contentType = contentType;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    setImmediate(callback);
  }
}

function asRuntime(stream: Writable): RuntimeResponseStream {
  return stream as unknown as RuntimeResponseStream;
}

describe('guardResponseStream', () => {
  test('bytes and end() pass through: the runtime stream finishes with exactly the source bytes', async () => {
    // Prepare
    const target = new CapturingResponseStream();
    const source = Readable.from([Buffer.from('abc'), Buffer.from('def')]);

    // Act
    await pipeline(source, guardResponseStream(asRuntime(target)));

    // Assess
    expect(target.bytes.toString()).toBe('abcdef');
    expect(target.writableFinished).toBe(true);
    expect(target.errored).toBeNull();
  });

  test('backpressure from the runtime stream holds the source back', async () => {
    // Prepare: 64 chunks of 1 KiB into a stream that accepts one chunk per tick.
    const target = new SlowStream();
    const chunks = Array.from({ length: 64 }, (_, index) => Buffer.alloc(1024, index));
    const source = Readable.from(chunks, { highWaterMark: 1 });

    // Act
    await pipeline(source, guardResponseStream(asRuntime(target)));

    // Assess: every byte, in order, and the target ended normally.
    expect(Buffer.concat(target.chunks).equals(Buffer.concat(chunks))).toBe(true);
    expect(target.writableFinished).toBe(true);
  });

  test('a failing source rejects the pipeline but never ends or destroys the runtime stream', async () => {
    // Prepare
    const target = new CapturingResponseStream();
    const failure = new Error('S3 body gave up');
    const source = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(failure);
      },
    });

    // Act
    const outcome = pipeline(source, guardResponseStream(asRuntime(target)));

    // Assess: the handler sees the error (the runtime then ends the stream with error trailers), and the
    // runtime's stream is still open for it to do so.
    await expect(outcome).rejects.toBe(failure);
    expect(target.destroyed).toBe(false);
    expect(target.writableEnded).toBe(false);
  });

  test('when the runtime stream closes first, the pipeline fails and the source is destroyed', async () => {
    // Prepare: the viewer goes away (locally the Function URL destroys the stream) while the source still flows.
    const target = new CapturingResponseStream();
    const source = new PassThrough();
    source.write(Buffer.from('first'));
    const outcome = pipeline(source, guardResponseStream(asRuntime(target)));
    await new Promise((resolve) => setImmediate(resolve));

    // Act
    target.destroy();

    // Assess
    await expect(outcome).rejects.toThrow('the response stream closed before the body ended');
    expect(source.destroyed).toBe(true);
  });

  test('when the runtime stream closes before anything is piped, nothing is thrown and the later pipeline fails', async () => {
    // Prepare: the viewer leaves while the handler still waits for S3 (middy has not piped into the guard yet).
    const target = new CapturingResponseStream();
    const guard = guardResponseStream(asRuntime(target));
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);

    // Act
    target.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    const source = new PassThrough();
    source.write(Buffer.from('body'));
    guard.write(''); // what middy does after HttpResponseStream.from()
    const outcome = pipeline(source, guard);

    // Assess: no unlistened 'error' (fatal to the execution environment); the pipeline still rejects with the
    // cause and releases its source (Node's pipeline() would not, were the guard already destroyed).
    await expect(outcome).rejects.toThrow('the response stream closed before the body ended');
    process.off('uncaughtException', onUncaught);
    expect(uncaught).toEqual([]);
    expect(source.destroyed).toBe(true);
  });

  test('setContentType and the first-write hook reach the runtime stream (HttpResponseStream.from uses both)', () => {
    // Prepare
    const target = new CapturingResponseStream();
    const guard = guardResponseStream(asRuntime(target)) as Writable & {
      setContentType(type: string): void;
      _onBeforeFirstWrite?: unknown;
    };
    const hook = (): void => {};

    // Act
    guard.setContentType('application/vnd.awslambda.http-integration-response');
    guard._onBeforeFirstWrite = hook;

    // Assess
    expect(target.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(target._onBeforeFirstWrite).toBe(hook);
    expect(guard._onBeforeFirstWrite).toBe(hook);
  });
});
