/**
 * The `awslambda` global the Lambda Node.js runtime installs before it loads the handler module (runtime
 * interface client, src/utils/globals.ts): the ONE reproduction of it in this project, used by the emulated
 * runtime's worker, the handler tests, the reliability tests and the benchmark's in-process hosts.
 * `streamifyResponse(fn, { highWaterMark })` only marks `fn`, with the runtime's own symbol
 * (`Symbol.for('aws.lambda.runtime.handler.streaming')` = 'response'); the runtime later calls it as
 * `fn(event, responseStream, context)`. middy 7 calls it at module load, so this must be installed before
 * `import('lambda/handler.ts')`.
 */
import { HttpResponseStream } from './http-response-stream.ts';

export const STREAMING_SYMBOL = Symbol.for('aws.lambda.runtime.handler.streaming');
export const STREAM_RESPONSE = 'response';
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

interface StreamifyOptions {
  readonly highWaterMark?: number;
}

function streamifyResponse<F extends object>(handler: F, options?: StreamifyOptions): F {
  Object.defineProperty(handler, STREAMING_SYMBOL, { value: STREAM_RESPONSE, configurable: true });
  if (typeof options?.highWaterMark === 'number') {
    Object.defineProperty(handler, HIGH_WATER_MARK, { value: Math.trunc(options.highWaterMark), configurable: true });
  }
  return handler;
}

/** Installs the global (keeping other members of an existing one). Returns a function that restores what was. */
export function installAwsLambdaGlobal(): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'awslambda');
  const existing: unknown = previous?.value;
  Object.defineProperty(globalThis, 'awslambda', {
    value: {
      ...(typeof existing === 'object' && existing !== null ? existing : {}),
      streamifyResponse,
      HttpResponseStream,
    },
    configurable: true,
    enumerable: false,
    writable: true,
  });
  return () => {
    if (previous === undefined) Reflect.deleteProperty(globalThis, 'awslambda');
    else Object.defineProperty(globalThis, 'awslambda', previous);
  };
}

/** Whether `handler` was marked by streamifyResponse (what the runtime checks to choose streaming mode). */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === 'function' && Reflect.get(handler, STREAMING_SYMBOL) === STREAM_RESPONSE;
}

/** How the runtime would run `fn`: streaming (with its highWaterMark) or not at all (buffered handlers). */
export function streamingMetadata(fn: unknown): { streaming: boolean; highWaterMark: number | undefined } {
  if (!isStreamingHandler(fn)) return { streaming: false, highWaterMark: undefined };
  const highWaterMark: unknown = Reflect.get(fn as object, HIGH_WATER_MARK);
  return { streaming: true, highWaterMark: typeof highWaterMark === 'number' ? highWaterMark : undefined };
}
