/**
 * A byte-counting passthrough between the body and the response stream, for the log line, and a last guard
 * on the length promise: Content-Length (and Content-Range) were sent before the first byte, so a body that
 * ends with a different number of bytes is turned into an error instead of a clean end. A clean short end is
 * the one outcome that a player, CloudFront or a cache cannot tell from success.
 */
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { BodyIncompleteError } from '../storage/storage-errors.ts';

export class BodyLengthError extends Error {
  override readonly name = 'BodyLengthError';
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number) {
    super(`body carried ${actual} bytes where ${expected} were promised`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** complete: every byte went out; truncated: we gave up on the body; aborted: the response side went away. */
export type BodyOutcome = 'complete' | 'truncated' | 'aborted';

export interface BodySummary {
  readonly outcome: BodyOutcome;
  /** Bytes handed to the response stream. */
  readonly bytesSent: number;
  readonly error: Error | undefined;
}

class ByteCounter extends Transform {
  readonly #expected: number;
  count = 0;

  constructor(expected: number) {
    super();
    this.#expected = expected;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.#expected) {
      callback(new BodyLengthError(this.#expected, this.count));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.count === this.#expected ? null : new BodyLengthError(this.#expected, this.count));
  }
}

function outcomeOf(error: Error | null | undefined, ended: boolean): BodyOutcome {
  if (error === null || error === undefined) return ended ? 'complete' : 'aborted';
  return error instanceof BodyIncompleteError || error instanceof BodyLengthError ? 'truncated' : 'aborted';
}

/**
 * Returns the stream to hand to the response. `onDone` is called exactly once, when it closes.
 * Destroying the returned stream destroys `source` (pipeline), which releases any S3 body it holds.
 */
export function countBytes(source: Readable, expectedBytes: number, onDone: (summary: BodySummary) => void): Readable {
  const counter = new ByteCounter(expectedBytes);
  pipeline(source, counter, () => {
    // Outcome is read on 'close' below, which sees both directions (source failure and response failure).
  });
  counter.once('close', () => {
    const error = counter.errored ?? undefined;
    onDone({ outcome: outcomeOf(error, counter.readableEnded), bytesSent: counter.count, error });
  });
  return counter;
}
