/**
 * The emulated runtime's response stream (local/runtimes/emulated/response-stream.ts: `setContentType()` only
 * before the first write, the `_onBeforeFirstWrite` hook `HttpResponseStream.from` installs, non-buffer chunks
 * JSON-encoded) writing into memory instead of to the local Function URL, for tests that invoke a handler
 * in-process. It keeps whether it finished cleanly or was destroyed with an error, which is what decides whether
 * the viewer sees a complete response (clean end) or a visibly broken one.
 */
import { RuntimeResponseStream } from '../../local/runtimes/emulated/response-stream.ts';

export class CapturingResponseStream extends RuntimeResponseStream {
  readonly #chunks: Buffer[] = [];

  constructor() {
    const chunks: Buffer[] = [];
    super(
      {
        open: () => undefined,
        write: (chunk, done) => {
          chunks.push(Buffer.from(chunk));
          done();
        },
        end: () => undefined,
      },
      undefined,
    );
    this.#chunks = chunks;
  }

  /** Every byte written so far: prelude, delimiter and body, exactly as the runtime would send them. */
  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
