/**
 * Byte counting for the log line, and a last guard on the length promise: Content-Length (and Content-Range)
 * were sent before the first byte, so a body that ends with a different number of bytes is turned into an error
 * instead of a clean end. A clean short end is the one outcome that a player, CloudFront or a cache cannot tell
 * from success.
 *
 * Metered in place: the count and the checks run inside the body's own `push()`, so a byte crosses
 * no extra stream stage. An earlier version was a Transform in its own pipeline(): per 64 KiB chunk one more
 * pair of stream buffers, callbacks and ticks, and per request one more pipeline (whose clean finish aborts an
 * AbortController, i.e. builds a DOMException with a stack): ~0.2 ms of CPU per small request and ~8 % of the
 * CPU per GiB in bench/profile/bundle-cpu.ts. Every Readable, Node's own (`Readable.from`) included, hands its
 * bytes to the buffer through `push()`, so nothing reaches the response without being counted.
 */
import type { Readable } from 'node:stream';
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

function outcomeOf(error: Error | null | undefined, ended: boolean): BodyOutcome {
  if (error === null || error === undefined) return ended ? 'complete' : 'aborted';
  return error instanceof BodyIncompleteError || error instanceof BodyLengthError ? 'truncated' : 'aborted';
}

/**
 * Meters `source` and returns it, to hand to the response. `onDone` is called exactly once, when it closes.
 * A push beyond `expectedBytes`, or the end of the body short of it, destroys the body with a BodyLengthError
 * (so it never ends cleanly with the wrong length). Destroying it releases any S3 body it holds.
 */
export function countBytes(source: Readable, expectedBytes: number, onDone: (summary: BodySummary) => void): Readable {
  let pushed = 0;
  const push = source.push;
  source.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (source.destroyed) return false;
    if (chunk === null) {
      if (pushed !== expectedBytes) {
        source.destroy(new BodyLengthError(expectedBytes, pushed));
        return false;
      }
      return push.call(source, null);
    }
    pushed += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : (chunk as Uint8Array).byteLength;
    if (pushed > expectedBytes) {
      source.destroy(new BodyLengthError(expectedBytes, pushed));
      return false;
    }
    return push.call(source, chunk, encoding);
  };
  source.once('close', () => {
    const error = source.errored ?? undefined;
    // Bytes still in the body's buffer never reached the response.
    const bytesSent = Math.max(0, pushed - source.readableLength);
    onDone({ outcome: outcomeOf(error, source.readableEnded), bytesSent, error });
  });
  return source;
}
