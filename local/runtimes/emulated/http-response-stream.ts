/**
 * `awslambda.HttpResponseStream`, as the Lambda Node.js runtime implements it (runtime interface client,
 * src/stream/http-response-stream.ts): `from()` only sets the content type and installs a hook that runs on the
 * FIRST write, emitting the JSON prelude and the 8-NUL delimiter before that write's bytes. Consequences the
 * local stack reproduces on purpose: `from()` then `end()` without a write emits no prelude at all, and
 * `end(chunk)` bypasses the hook (Writable.end does not call the overridden write()).
 */
import { DELIMITER_LENGTH, INTEGRATION_CONTENT_TYPE } from '../wire-format.ts';

/** The hook `from()` installs: the stream runs it on its first write, handing it the underlying write. */
export type BeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => void;

/** What `from()` needs of a response stream: the runtime's two members. */
export interface PreludeCapableStream {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
}

export const HttpResponseStream = {
  from<T extends PreludeCapableStream>(underlyingStream: T, prelude: Readonly<Record<string, unknown>>): T {
    underlyingStream.setContentType(INTEGRATION_CONTENT_TYPE);
    const metadataPrelude = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadataPrelude);
      write(new Uint8Array(DELIMITER_LENGTH));
    };
    return underlyingStream;
  },
};
