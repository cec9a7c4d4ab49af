/**
 * The runtime seam of the local Function URL: what runs the handler for one invocation. The URL
 * (local/function-url/server.ts) only translates HTTP <-> event and the streamed wire format; behind this one
 * interface sit two runtimes (picked in ./select.ts):
 *
 * - `emulation` (default): ./emulated/, an in-house emulation of the Lambda Node.js runtime in a worker
 *   thread, importing the handler's TypeScript source directly.
 * - `aws-lambda-ric`: ./aws-ric/, AWS's own runtime interface client (npm `aws-lambda-ric`, an optional install)
 *   running the SYNTHESIZED bundle in its own process per execution environment, talking to a local Runtime
 *   API server. What runs on Lambda, minus Lambda.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FunctionErrorData, InvokeContextData } from './emulated/protocol.ts';

export type { FunctionErrorData, InvokeContextData };

export interface InvocationSink {
  /** First bytes are coming (or the stream ends empty); the content type is final. */
  open(contentType: string): void;
  /**
   * Bytes from the response stream. Call `ack()` once the viewer side accepted them (flow control), and
   * `release()` once nothing on the viewer side refers to `chunk` any more (written to the socket, copied, or
   * dropped): the runtime may then reuse its memory (see ./emulated/chunk-pool.ts). Never calling
   * `release()` is safe (the memory is left to the GC); calling it while a write still holds `chunk` is not.
   */
  data(chunk: Uint8Array, ack: () => void, release: () => void): void;
  /** The stream ended normally. */
  end(): void;
  /** The invocation failed: handler error, stream destroyed, or environment crash. Called at most once. */
  fail(error: FunctionErrorData, kind: 'handler' | 'destroyed' | 'crash'): void;
  /** The invocation is over on the function's side (the handler's promise resolved; the environment is free). */
  resolved(): void;
}

/**
 * Why the URL stops listening to an invocation. `timeout` is the function timeout: Lambda ends the invocation
 * and resets the execution environment. The others (viewer gone, payload limit, bad prelude) are the URL's.
 */
export type AbortReason = 'viewer-gone' | 'cut' | 'timeout';

export interface Invocation {
  abort(reason: AbortReason): void;
}

/** What every runtime is told about the function (the Function URL's options). */
export interface FunctionSettings {
  /** The function's environment variables (its whole process.env, apart from what Lambda itself defines). */
  readonly env: Readonly<Record<string, string>>;
  readonly functionName: string;
  readonly memoryLimitInMB: number;
  /** Bytes one response may have in flight between the function and the viewer socket. */
  readonly flowWindowBytes: number;
}

export interface FunctionRuntime {
  invoke(event: APIGatewayProxyEventV2, context: InvokeContextData, sink: InvocationSink): Invocation;
  close(): Promise<void>;
}

/** A `release` for chunks nothing can reuse (a socket's, or a view of a copy): the GC takes them. */
export function noRelease(): void {}

export const RUNTIME_MODES = ['emulation', 'aws-lambda-ric'] as const;
export type RuntimeMode = (typeof RUNTIME_MODES)[number];

export function isRuntimeMode(value: string): value is RuntimeMode {
  return (RUNTIME_MODES as readonly string[]).includes(value);
}
