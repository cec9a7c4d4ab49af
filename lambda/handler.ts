/**
 * middy wiring only. The request path lives in serve-request.ts (testable without middy); this module reads
 * the configuration once at init, creates the S3 client and the request path's policies once, and connects
 * logging.
 *
 * Streaming: middy 7's `executionModeStreamifyResponse` (v6's `streamifyResponse: true` is ignored by v7:
 * https://middy.js.org/docs/upgrade/6-7). Importing this module calls `awslambda.streamifyResponse`, so the
 * runtime's global (or the local/test emulation of it) must exist first. For the returned
 * `{ statusCode, headers, body }` middy calls `HttpResponseStream.from()`, writes "" (so the prelude goes out
 * even for an empty body, middy #1189), then `pipeline(body, responseStream)`.
 *
 * Mid-body failures (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html):
 * status and headers are gone by then. The
 * body streams resume from the next byte pinned by If-Match (lambda/storage/resumable-body.ts); when they give
 * up they destroy themselves with a BodyIncompleteError, middy's pipeline rejects, and so does this handler.
 * The runtime then ends the invocation with error trailers, so the transfer is VISIBLY incomplete (never a
 * clean short end that a player or cache would take as complete). middy pipes into a guard, not into the
 * runtime's stream itself: on Lambda that stream is an http.ClientRequest to the Runtime API, and destroying it
 * (which pipeline() does on a source error) rejects a promise the runtime never awaits, and the runtime exits
 * the process on that unhandled rejection (reproduced in test/reliability/runtime-stream.test.ts with the
 * runtime client's own stream code). See respond/guard-response-stream.ts.
 *
 * @middy/http-error-handler is the last resort for errors thrown outside serveRequest (which renders its own
 * typed errors with CORS and base headers): it never exposes a message we did not write.
 */

import type { Writable } from 'node:stream';
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { loadConfig } from './config.ts';
import { logger } from './observability/logger.ts';
import { metrics } from './observability/metrics.ts';
import { redactError } from './observability/redact.ts';
import type { RequestLogEntry } from './observability/request-log.ts';
import { requestLogLine } from './observability/request-log-line.ts';
import { guardResponseStream, type RuntimeResponseStream } from './respond/guard-response-stream.ts';
import { createServer, type StreamingResponse } from './serve-request.ts';
import { createS3Client } from './storage/create-s3-client.ts';

const config = loadConfig(process.env);

/** The request's one log line, which also carries its EMF metrics (observability/request-log-line.ts). */
function logRequest(entry: RequestLogEntry): void {
  const line = requestLogLine(entry, metrics);
  if (line.level === 'error') logger.error('request', line.attributes);
  else logger.info('request', line.attributes);
}

// Policies are derived and checked here, at init: an unusable configuration fails the cold start, not a request.
const serveRequest = createServer({ s3: createS3Client(config), config, log: logRequest });

const streaming = middy<LambdaFunctionURLEvent, StreamingResponse>({
  executionMode: executionModeStreamifyResponse,
  // middy 7 aborts a handler 5 ms before the deadline by default and answers a bare 500. Every wait of the
  // request path is bounded far below the function timeout (lambda/storage/create-s3-client.ts), so reaching it
  // is a platform event: it stays Lambda's own ("Task timed out", a 502 or a cut stream), which the alarms and
  // docs/operations.md#runbook describe, instead of a 500 that looks like a bug in the function.
  timeoutEarlyInMillis: 0,
})
  .use(
    httpErrorHandler({
      logger: (error) =>
        logger.error('unhandled error', { error: error instanceof Error ? redactError(error) : error }),
      fallbackMessage: 'Internal Server Error',
    }),
  )
  .handler(async (event: LambdaFunctionURLEvent, context: Context) => {
    logger.addContext(context);
    return serveRequest(event, context.awsRequestId);
  });

/** What middy's streaming mode really returns: the function the runtime calls (middy's types model the buffered call). */
type StreamingEntry = (event: LambdaFunctionURLEvent, responseStream: Writable, context: Context) => Promise<void>;

/** middy pipes into the guard, never into the runtime's stream itself (see respond/guard-response-stream.ts). */
export const handler = awslambda.streamifyResponse(
  (event: LambdaFunctionURLEvent, responseStream: awslambda.HttpResponseStream, context: Context) =>
    (streaming as unknown as StreamingEntry)(
      event,
      guardResponseStream(responseStream as unknown as RuntimeResponseStream),
      context,
    ),
);
