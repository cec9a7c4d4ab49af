/**
 * A response stream that behaves like the one the Lambda Node.js runtime hands to a streaming handler
 * (runtime client `src/ResponseStream.js`) and records every byte written to it:
 * - `setContentType()` works only before the first write ("Cannot set content-type, too late.").
 * - On the FIRST `write()`, a `_onBeforeFirstWrite` hook (installed by `HttpResponseStream.from`) writes the
 *   prelude through the underlying write, before the chunk itself.
 * - Chunks that are not string / Buffer / Uint8Array are JSON-encoded, as the runtime does.
 * It keeps whether it finished cleanly or was destroyed with an error, which is what decides whether the
 * viewer sees a complete response (clean end) or a visibly broken one.
 */
import { Writable } from 'node:stream';

export type BeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => void;

export class CapturingResponseStream extends Writable {
  contentType = 'application/octet-stream';
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  readonly #chunks: Buffer[] = [];
  #written = false;

  setContentType(contentType: string): void {
    if (this.#written) throw new Error('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!this.#written && typeof this._onBeforeFirstWrite === 'function') {
      this._onBeforeFirstWrite((prelude) => {
        super.write(prelude);
      });
    }
    this.#written = true;
    if (typeof encoding === 'function') return super.write(data, encoding as (error?: Error | null) => void);
    return super.write(
      data,
      (encoding as BufferEncoding | undefined) ?? 'utf8',
      callback as ((error?: Error | null) => void) | undefined,
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#chunks.push(Buffer.from(chunk));
    callback();
  }

  /** Every byte written so far: prelude, delimiter and body, exactly as the runtime would send them. */
  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
