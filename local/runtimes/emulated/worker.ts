/**
 * The local execution environment: a worker thread that plays the Lambda Node.js runtime for one handler module.
 * A worker (not the main thread) because each environment needs its own `process.env` (the handler's config is
 * read once at module init) and its own module instances, like a real execution environment; several local
 * stacks with different settings can then live in one process (tests), and the handler runs on Node's own ESM
 * loader rather than a test runner's.
 *
 * Per invocation it does what the runtime's StreamingInvokeProcessor does: call `handler(event, responseStream,
 * context)`, require a promise ("Streaming does not support non-async handlers."), report a throw or rejection
 * as a function error, and otherwise let the response complete when the stream ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ChunkPool } from './chunk-pool.ts';
import { installAwsLambdaGlobal, streamingMetadata } from './globals.ts';
import { lambdaContext } from './lambda-context.ts';
import type { EnvironmentData, FromEnvironment, InvokeContextData, ToEnvironment } from './protocol.ts';
import { toErrorData } from './protocol.ts';
import { type ResponseTransport, RuntimeResponseStream, toHandlerStream } from './response-stream.ts';

type StreamingHandler = (event: APIGatewayProxyEventV2, stream: unknown, context: Context) => unknown;

interface Invocation {
  readonly stream: RuntimeResponseStream;
  unacked: number;
  pendingDone: ((error?: Error | null) => void) | undefined;
  aborted: boolean;
}

const port = parentPort;
if (port === null) throw new Error('local/runtimes/emulated/worker.ts must run in a worker thread');
const data = workerData as EnvironmentData;
const invocations = new Map<number, Invocation>();
const chunks = new ChunkPool(data.flowWindowBytes);

function post(message: FromEnvironment, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

installAwsLambdaGlobal();

let handler: StreamingHandler;
let highWaterMark: number | undefined;
try {
  const module: Record<string, unknown> = await import(data.handlerModule);
  const exported = module[data.handlerExport];
  if (typeof exported !== 'function') {
    throw new TypeError(`${data.handlerModule}: export "${data.handlerExport}" is undefined or not a function`);
  }
  const meta = streamingMetadata(exported);
  if (!meta.streaming) {
    throw new TypeError(
      `${data.handlerExport} is not wrapped with awslambda.streamifyResponse(); a RESPONSE_STREAM Function URL needs it`,
    );
  }
  handler = exported as StreamingHandler;
  highWaterMark = meta.highWaterMark;
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'init-error', error: toErrorData(error) });
  throw error;
}

port.on('message', (message: ToEnvironment) => {
  if (message.type === 'invoke') {
    invoke(message.id, message.event, message.context);
    return;
  }
  if (message.type === 'recycle') {
    chunks.give(message.buffers);
    return;
  }
  const invocation = invocations.get(message.id);
  if (invocation === undefined) return;
  if (message.type === 'ack') {
    invocation.unacked -= message.bytes;
    releaseIfUnderWindow(invocation);
  } else {
    // The viewer went away (or the URL cut the response): release what the handler is streaming from.
    // destroy() without an error, so a handler with no 'error' listener does not crash the environment.
    invocation.aborted = true;
    invocation.pendingDone = undefined;
    invocation.stream.destroy();
  }
});

function releaseIfUnderWindow(invocation: Invocation): void {
  if (invocation.pendingDone !== undefined && invocation.unacked < data.flowWindowBytes) {
    const done = invocation.pendingDone;
    invocation.pendingDone = undefined;
    done();
  }
}

function invoke(id: number, event: APIGatewayProxyEventV2, contextData: InvokeContextData): void {
  // As the runtime client does per invocation (moveXRayHeaderToEnv): Powertools' logger reads it. With several
  // invocations in flight in this one environment, the latest one's wins.
  if (contextData.traceId === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = contextData.traceId;
  const transport: ResponseTransport = {
    open: (contentType) => post({ type: 'open', id, contentType }),
    write: (chunk, done) => {
      const invocation = invocations.get(id);
      if (invocation === undefined || invocation.aborted) return;
      // Copy into a buffer of our own: Node's stream chunks often share a pooled ArrayBuffer, which must be
      // neither transferred nor cloned whole. The buffer comes from the pool the URL's thread returns them to
      // (chunk-pool.ts); every byte of the view is overwritten at once.
      const length = chunk.byteLength;
      const buffer = chunks.take(length);
      const copy = new Uint8Array(buffer, 0, length);
      copy.set(chunk);
      post({ type: 'data', id, chunk: copy }, [buffer]); // transferring detaches `copy`: length read before
      invocation.unacked += length;

      if (invocation.unacked < data.flowWindowBytes) done();
      else invocation.pendingDone = done;
    },
    end: () => post({ type: 'end', id }),
  };
  const stream = new RuntimeResponseStream(transport, highWaterMark);
  const invocation: Invocation = { stream, unacked: 0, pendingDone: undefined, aborted: false };
  invocations.set(id, invocation);
  // The runtime listens for 'error' on its request too; an unlistened error must not kill every invocation here.
  stream.on('error', () => undefined);
  stream.on('close', () => {
    if (!stream.writableFinished && !invocation.aborted) {
      const cause: unknown = stream.errored;
      post(cause === null ? { type: 'destroyed', id } : { type: 'destroyed', id, error: toErrorData(cause) });
    }
  });
  const context = createContext(contextData);
  let result: unknown;
  try {
    result = handler(event, toHandlerStream(stream), context);
  } catch (error) {
    fail(id, error);
    return;
  }
  if (!isPromise(result)) {
    fail(id, new Error('Streaming does not support non-async handlers.'));
    return;
  }
  result.then(
    (value) => {
      if (value !== undefined) console.warn('Streaming handlers ignore return values.');
      post({ type: 'resolved', id });
      forgetWhenClosed(id, stream);
    },
    (error: unknown) => fail(id, error),
  );
}

function fail(id: number, error: unknown): void {
  post({ type: 'fail', id, error: toErrorData(error) });
  const invocation = invocations.get(id);
  invocations.delete(id);
  if (invocation !== undefined) {
    invocation.aborted = true; // already reported: the 'close' that destroy() causes is not a second failure
    invocation.stream.destroy();
  }
}

function forgetWhenClosed(id: number, stream: RuntimeResponseStream): void {
  if (stream.closed || stream.destroyed) invocations.delete(id);
  else stream.once('close', () => invocations.delete(id));
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function createContext(contextData: InvokeContextData): Context {
  return lambdaContext({
    awsRequestId: contextData.awsRequestId,
    deadlineMs: contextData.deadlineMs,
    functionName: data.functionName,
    memoryLimitInMB: data.memoryLimitInMB,
    ...(process.env.AWS_REGION === undefined ? {} : { region: process.env.AWS_REGION }),
  });
}
