/**
 * Real Readables standing in for S3 GetObject bodies in unit and handler tests (wrapped with the SDK's own
 * sdkStreamMixin, as the client does with the IncomingMessage). Each can misbehave the way a socket does:
 * fail with an error after N bytes, end cleanly but short after N bytes, or go silent after N bytes.
 * Every body is recorded in `created` so tests can assert that all of them were destroyed or fully read
 * (an abandoned body holds its socket: aws-sdk-js-v3 #6691).
 */
import { Readable } from 'node:stream';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';

export interface TestBodyOptions {
  /** Bytes per chunk (default 4). Small chunks exercise the chunk-boundary logic. */
  readonly chunkSize?: number;
  /** After this many bytes: fail with `error`, end (short), or stall. */
  readonly after?: number;
  readonly fault?: 'error' | 'end' | 'stall';
  readonly error?: Error;
}

export class TestBody extends Readable {
  readonly #bytes: Buffer;
  readonly #chunkSize: number;
  readonly #after: number;
  readonly #fault: 'error' | 'end' | 'stall' | undefined;
  readonly #error: Error;
  #offset = 0;

  constructor(bytes: Buffer, options: TestBodyOptions = {}) {
    super({ highWaterMark: 16 });
    this.#bytes = bytes;
    this.#chunkSize = options.chunkSize ?? 4;
    this.#fault = options.fault;
    this.#after = options.fault === undefined ? bytes.length : Math.min(options.after ?? 0, bytes.length);
    this.#error = options.error ?? Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  }

  /** Bytes handed out so far. */
  get offset(): number {
    return this.#offset;
  }

  override _read(): void {
    if (this.#offset >= this.#after) {
      if (this.#fault === 'error') this.destroy(this.#error);
      else if (this.#fault === 'stall') return;
      else this.push(null);
      return;
    }
    const end = Math.min(this.#offset + this.#chunkSize, this.#after);
    const chunk = this.#bytes.subarray(this.#offset, end);
    this.#offset = end;
    // Asynchronous like a socket, so consumers cannot rely on synchronous delivery.
    setImmediate(() => {
      if (!this.destroyed) this.push(chunk);
    });
  }
}

/** Everything created by testBody() since the last reset. */
export const created: TestBody[] = [];

export function testBody(bytes: Buffer, options: TestBodyOptions = {}): TestBody {
  const body = new TestBody(bytes, options);
  created.push(body);
  return body;
}

/** The GetObject `Body` value for a test body, mixed in like the SDK does. */
export function sdkBody(body: Readable): NonNullable<GetObjectCommandOutput['Body']> {
  return sdkStreamMixin(body) as NonNullable<GetObjectCommandOutput['Body']>;
}

/** Bodies neither destroyed nor read to their end: each would hold an S3 socket. */
export function leakedBodies(): TestBody[] {
  return created.filter((body) => !body.destroyed && !body.readableEnded);
}

export function resetBodies(): void {
  created.length = 0;
}

/** Deterministic, position-dependent content: a shifted or spliced byte shows up as a mismatch. */
export function patternBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}
