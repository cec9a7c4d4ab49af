/**
 * The seed pattern as a Lambda function: the blog-post streaming origin — `streamifyResponse`, the viewer's Range
 * passed to GetObject, S3's status and headers copied, `pipeline(body, stream)` — with the same S3 client
 * defaults as bench/peer-server.ts. Built like the product's bundle and run by the same AWS runtime interface
 * client, it is what the bench's targets compare the deployed bundle with (cold start, CPU per request and per
 * GiB, memory): what the runtime and the SDK cost any streaming origin, so the deployed bundle's excess over it
 * is its own. Bench-only code: none of the product's rules (caps, budgets, multi-range, If-Range, resume).
 */
import { pipeline } from 'node:stream/promises';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { seedGet } from './seed-get.ts';

export const handler = awslambda.streamifyResponse(
  async (event: LambdaFunctionURLEvent, responseStream: awslambda.HttpResponseStream): Promise<void> => {
    const { statusCode, headers, body } = await seedGet(event);
    const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode, headers });
    if (body === undefined) stream.end();
    else await pipeline(body, stream);
  },
);
