/**
 * The smallest stand-in for the Lambda Node.js runtime's `awslambda` global that the handler needs, with the
 * runtime's contract (aws-lambda-nodejs-runtime-interface-client src/HttpResponseStream.js): `from()` calls
 * `setContentType()` and sets the stream's `_onBeforeFirstWrite` hook, and the stream's FIRST write runs the
 * hook, which emits `JSON.stringify(prelude)` then 8 NUL bytes, before the body. The handler relies on exactly
 * these two members (lambda/respond/guard-response-stream.ts forwards them), so the stub must not shortcut them.
 * The response stream only captures what is written, in memory: the cold-start probe measures the handler,
 * not a transport.
 */
import { Writable } from 'node:stream';

export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = new Uint8Array(8);

export type BeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => void;

/** What from() needs of a response stream: the runtime's two members. */
export interface RuntimeLikeStream {
  setContentType(type: string): void;
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
}

export class CapturingResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType = 'application/octet-stream';
  /** Set by HttpResponseStream.from(), run by the first write (the runtime's own member name). */
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  #written = false;

  setContentType(type: string): void {
    this.contentType = type;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.#written) {
      this.#written = true;
      this._onBeforeFirstWrite?.((early) => this.chunks.push(Buffer.from(early)));
    }
    this.chunks.push(chunk);
    callback();
  }

  /** The captured wire output split as the Function URL would read it. */
  decode(): { prelude: unknown; body: Buffer } {
    const wire = Buffer.concat(this.chunks);
    if (this.contentType !== PRELUDE_CONTENT_TYPE) return { prelude: null, body: wire };
    const end = wire.indexOf(Buffer.from(DELIMITER));
    if (end < 0) throw new Error('response stream has no prelude delimiter');
    return { prelude: JSON.parse(wire.subarray(0, end).toString('utf8')), body: wire.subarray(end + 8) };
  }
}

type StreamingHandler = (event: unknown, stream: RuntimeLikeStream, context: unknown) => Promise<unknown>;

export function installAwslambdaStub(): void {
  const stub = {
    // The runtime only marks the function as streaming; it is then called with (event, stream, context).
    streamifyResponse: (handler: StreamingHandler): StreamingHandler => handler,
    HttpResponseStream: {
      from<T extends RuntimeLikeStream>(stream: T, prelude: unknown): T {
        stream.setContentType(PRELUDE_CONTENT_TYPE);
        const json = JSON.stringify(prelude);
        stream._onBeforeFirstWrite = (write) => {
          write(json);
          write(DELIMITER);
        };
        return stream;
      },
    },
  };
  (globalThis as { awslambda?: unknown }).awslambda = stub;
}
