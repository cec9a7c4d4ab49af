/**
 * The `awslambda` global the Lambda Node.js runtime installs before it loads the handler module
 * (runtime interface client, src/utils/globals.ts). `streamifyResponse(fn, { highWaterMark })` only marks `fn`;
 * the runtime later calls it as `fn(event, responseStream, context)`. middy 7 calls it at module load, so this
 * must be installed before `import('lambda/handler.ts')`.
 */
import { HttpResponseStream } from './http-response-stream.ts';

export const STREAMING = Symbol('local-runtime.streaming');
export const HIGH_WATER_MARK = Symbol('local-runtime.highWaterMark');

interface StreamifyOptions {
  readonly highWaterMark?: number;
}

type Marked = ((...args: never[]) => unknown) & { [STREAMING]?: true; [HIGH_WATER_MARK]?: number };

function streamifyResponse<F extends (...args: never[]) => unknown>(handler: F, options?: StreamifyOptions): F {
  const marked = handler as F & Marked;
  marked[STREAMING] = true;
  if (typeof options?.highWaterMark === 'number') marked[HIGH_WATER_MARK] = Math.trunc(options.highWaterMark);
  return handler;
}

export function installAwsLambdaGlobal(): void {
  const existing: unknown = Reflect.get(globalThis, 'awslambda');
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
}

/** How the runtime would run `fn`: streaming (with its highWaterMark) or not at all (buffered handlers). */
export function streamingMetadata(fn: unknown): { streaming: boolean; highWaterMark: number | undefined } {
  if (typeof fn !== 'function') return { streaming: false, highWaterMark: undefined };
  const marked = fn as Marked;
  return { streaming: marked[STREAMING] === true, highWaterMark: marked[HIGH_WATER_MARK] };
}
