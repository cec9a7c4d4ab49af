/**
 * Invokes a streaming handler the way the Lambda Node.js runtime does (runtime client `src/Runtime.js`,
 * handleOnceStreaming): `handler(event, responseStream, context)`, await the promise, and treat a rejection or
 * an unfinished stream as an invocation error (sent as error trailers after whatever body was written).
 * Returns the parsed wire output and whether the viewer would have seen a clean, complete end.
 */
import type { Context } from 'aws-lambda';
import { isStreamingHandler } from '../../local/runtimes/emulated/globals.ts';
import { lambdaContext as createLambdaContext } from '../../local/runtimes/emulated/lambda-context.ts';
import { CapturingResponseStream } from './capturing-response-stream.ts';
import { type ParsedIntegrationResponse, parseIntegrationResponse } from './parse-integration-response.ts';

export interface StreamingInvocation extends ParsedIntegrationResponse {
  /** Raw bytes written to the response stream (prelude + delimiter + body). */
  readonly wire: Buffer;
  readonly contentType: string;
  /** True only when the handler resolved and the stream finished without error: a complete response. */
  readonly cleanEnd: boolean;
  /** The error the response stream was destroyed with (pipeline does this when the body fails). */
  readonly streamError: Error | undefined;
  /** The handler's rejection (the runtime reports it in Lambda-Runtime-Function-Error-* trailers). */
  readonly handlerError: unknown;
}

export type StreamingHandler = (event: unknown, responseStream: CapturingResponseStream, context: Context) => unknown;

export function lambdaContext(requestId = 'test-request-id'): Context {
  return createLambdaContext({ awsRequestId: requestId, deadlineMs: Date.now() + 60_000 });
}

export async function invokeStreamingHandler(
  handler: unknown,
  event: unknown,
  context: Context = lambdaContext(),
  responseStream: CapturingResponseStream = new CapturingResponseStream(),
): Promise<StreamingInvocation> {
  if (!isStreamingHandler(handler) || typeof handler !== 'function') {
    throw new Error('handler is not marked by awslambda.streamifyResponse');
  }
  let handlerError: unknown;
  try {
    await (handler as StreamingHandler)(event, responseStream, context);
  } catch (error) {
    handlerError = error ?? new Error('handler rejected');
  }
  if (handlerError === undefined && !responseStream.writableFinished) {
    handlerError = new Error('Response stream is not finished.');
  }
  const streamError = responseStream.errored ?? undefined;
  const wire = responseStream.bytes;
  return {
    ...parseIntegrationResponse(wire, responseStream.contentType),
    wire,
    contentType: responseStream.contentType,
    cleanEnd: handlerError === undefined && streamError === undefined && responseStream.writableFinished,
    streamError,
    handlerError,
  };
}
