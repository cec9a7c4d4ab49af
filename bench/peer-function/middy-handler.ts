/**
 * The seed pattern with the parts every request of the product must pay for by design, and nothing else: middy's
 * streaming mode (fixed by the design card: it pipes the body into the response stream) and the request's one
 * log line with its EMF metrics (what operations read and alarm on), written by the product's own modules
 * (lambda/observability/). No HTTP rules, no guard, no resume. Run by the bench under the same runtime client,
 * it is the floor for the target "CPU per small request ≤ the seed pattern's": what the deployed bundle costs
 * above it is its own code.
 */
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { logger } from '../../lambda/observability/logger.ts';
import { metrics } from '../../lambda/observability/metrics.ts';
import { requestLogLine } from '../../lambda/observability/request-log-line.ts';
import type { BodySummary } from '../../lambda/respond/count-bytes.ts';
import { seedGet } from './seed-get.ts';

export const handler = middy<LambdaFunctionURLEvent, unknown>({
  executionMode: executionModeStreamifyResponse,
}).handler(async (event: LambdaFunctionURLEvent, context: Context) => {
  const started = performance.now();
  logger.addContext(context);
  const answer = await seedGet(event);
  const logLine = (summary: BodySummary): void => {
    const line = requestLogLine(
      {
        requestId: context.awsRequestId,
        method: event.requestContext.http.method,
        key: event.rawPath.slice(1),
        rangeAsked: event.headers.range,
        rangeServed: answer.headers['content-range'],
        status: answer.statusCode,
        bytesSent: summary.bytesSent,
        durationMs: performance.now() - started,
        s3FirstByteMs: undefined,
        s3Requests: 1,
        resumes: 0,
        outcome: summary.outcome,
        error: summary.error,
      },
      metrics,
    );
    logger.info('request', line.attributes);
  };
  const { body, contentLength } = answer;
  if (body === undefined || contentLength === undefined) {
    logLine({ outcome: 'complete', bytesSent: 0, error: undefined });
    body?.destroy();
    return { statusCode: answer.statusCode, headers: answer.headers, body: '' };
  }
  // Listeners for 'end' and 'close' leave the body's flow to middy's pipeline (a 'data' listener would start it).
  let ended = false;
  body.once('end', () => {
    ended = true;
  });
  body.once('close', () =>
    logLine(
      ended
        ? { outcome: 'complete', bytesSent: contentLength, error: undefined }
        : { outcome: 'aborted', bytesSent: 0, error: body.errored ?? undefined },
    ),
  );
  return { statusCode: answer.statusCode, headers: answer.headers, body };
});
