/**
 * Messages between the local Function URL (main thread, playing the Runtime API) and the execution environment
 * (a worker thread running the handler module). One environment serves many invocations at once, keyed by id.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface InvokeContextData {
  readonly awsRequestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadlineMs: number;
  /** X-Ray trace header value (`Root=1-...`), sent to the real runtime client as Lambda-Runtime-Trace-Id. */
  readonly traceId?: string;
}

/** What the environment needs to know at start, passed as `workerData`. */
export interface EnvironmentData {
  /** File URL of the handler module. */
  readonly handlerModule: string;
  /** Export name, e.g. "handler". */
  readonly handlerExport: string;
  readonly functionName: string;
  readonly memoryLimitInMB: number;
  /** Bytes a response may have in flight between the worker and the viewer socket. */
  readonly flowWindowBytes: number;
}

export type ToEnvironment =
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly event: APIGatewayProxyEventV2;
      readonly context: InvokeContextData;
    }
  | { readonly type: 'ack'; readonly id: number; readonly bytes: number }
  | { readonly type: 'abort'; readonly id: number }
  /**
   * Chunk buffers the viewer side is done with, transferred back for reuse: the worker copies each
   * chunk into one of these instead of a new buffer, so neither thread piles up garbage while a response streams.
   */
  | { readonly type: 'recycle'; readonly buffers: readonly ArrayBuffer[] };

export interface FunctionErrorData {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stack?: string;
}

export type FromEnvironment =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: FunctionErrorData }
  | { readonly type: 'open'; readonly id: number; readonly contentType: string }
  | { readonly type: 'data'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly type: 'end'; readonly id: number }
  /** The handler threw or rejected (the runtime would send Lambda-Runtime-Function-Error-* trailers). */
  | { readonly type: 'fail'; readonly id: number; readonly error: FunctionErrorData }
  /** The response stream was destroyed before it ended (e.g. pipeline() destroying it on a source error). */
  | { readonly type: 'destroyed'; readonly id: number; readonly error?: FunctionErrorData }
  /** The handler's promise resolved. */
  | { readonly type: 'resolved'; readonly id: number };

export function toErrorData(error: unknown): FunctionErrorData {
  if (error instanceof Error) {
    return error.stack === undefined
      ? { errorType: error.name, errorMessage: error.message }
      : { errorType: error.name, errorMessage: error.message, stack: error.stack };
  }
  return { errorType: typeof error, errorMessage: String(error) };
}
