/**
 * A test `awslambda` global reproducing the Lambda Node.js runtime's wire behaviour (runtime client
 * `src/UserFunction.js`, `src/HttpResponseStream.js`):
 * - `streamifyResponse(fn)` only marks `fn` (Symbol.for('aws.lambda.runtime.handler.streaming') = 'response').
 * - `HttpResponseStream.from(stream, prelude)` sets the content type
 *   `application/vnd.awslambda.http-integration-response` and arranges that the FIRST write emits
 *   `JSON.stringify(prelude)` followed by exactly 8 NUL bytes, then the body. `from()` followed by `end()`
 *   with no write emits no prelude at all (the viewer would get a 200 with the wrong headers).
 * Install it before importing the handler module: middy calls `awslambda.streamifyResponse` at import.
 */
import type { Writable } from 'node:stream';
import type { BeforeFirstWrite } from './capturing-response-stream.ts';

export const INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const DELIMITER_LENGTH = 8;
export const STREAMING_SYMBOL = Symbol.for('aws.lambda.runtime.handler.streaming');
export const STREAM_RESPONSE = 'response';

interface PreludeTarget extends Writable {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
}

/** The runtime exposes a class with one static method; an object with `from` is the same to its callers. */
const HttpResponseStream = {
  from(stream: PreludeTarget, prelude: Record<string, unknown>): PreludeTarget {
    stream.setContentType(INTEGRATION_CONTENT_TYPE);
    // JSON.stringify escapes every control character, so the prelude never contains the NUL delimiter.
    const metadataPrelude = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(metadataPrelude);
      write(new Uint8Array(DELIMITER_LENGTH));
    };
    return stream;
  },
};

function streamifyResponse<T extends object>(handler: T): T {
  Object.defineProperty(handler, STREAMING_SYMBOL, { value: STREAM_RESPONSE, configurable: true });
  return handler;
}

/** Installs the global (idempotent). Returns a function that removes it again. */
export function installAwslambda(): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'awslambda');
  Object.defineProperty(globalThis, 'awslambda', {
    value: { streamifyResponse, HttpResponseStream },
    configurable: true,
    writable: true,
  });
  return () => {
    if (previous === undefined) Reflect.deleteProperty(globalThis, 'awslambda');
    else Object.defineProperty(globalThis, 'awslambda', previous);
  };
}

/** Whether `handler` was marked by streamifyResponse (what the runtime checks to choose streaming mode). */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[STREAMING_SYMBOL] === STREAM_RESPONSE
  );
}
