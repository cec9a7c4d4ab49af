/**
 * Loads the REAL handler module (lambda/handler.ts) the way the Lambda runtime does: environment first,
 * then the `awslambda` global, then the import (middy calls awslambda.streamifyResponse at import, and the
 * handler reads its configuration once at init). Jest gives every test file its own module registry, so each
 * file gets a fresh handler with the environment it sets.
 *
 * The request log lines are captured by spying on the handler's own Powertools logger.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, jest } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { RequestLogEntry } from '../../lambda/observability/request-log.ts';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import { CapturingResponseStream } from '../support/capturing-response-stream.ts';
import { type FakeS3, type FakeS3Options, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { MEDIA_ROOT } from '../support/hls-fixture-reader.ts';
import {
  invokeStreamingHandler,
  lambdaContext,
  type StreamingInvocation,
} from '../support/invoke-streaming-handler.ts';
import { leakedBodies, resetBodies } from '../support/s3-body.ts';

export const BUCKET = 'secret-bucket-name';

export const BASE_ENV: Readonly<Record<string, string>> = {
  BUCKET_NAME: BUCKET,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // The handler publishes one EMF metrics document per request; keep test output to the assertions.
  POWERTOOLS_METRICS_DISABLED: 'true',
  // Keep resumes fast in tests; the backoff itself is not under test here.
  RESUME_ATTEMPTS: '3',
};

export interface LoadedHandler {
  invoke(
    event: LambdaFunctionURLEvent,
    requestId?: string,
    responseStream?: CapturingResponseStream,
  ): Promise<StreamingInvocation>;
  /** Request log lines emitted so far (one per request). */
  readonly logs: RequestLogEntry[];
  /** Waits until `count` request log lines have been emitted (they are written when the body closes). */
  waitForLogs(count: number): Promise<RequestLogEntry[]>;
}

export async function loadHandler(env: Readonly<Record<string, string>> = {}): Promise<LoadedHandler> {
  for (const [name, value] of Object.entries({ ...BASE_ENV, ...env })) process.env[name] = value;
  installAwsLambdaGlobal();
  const { handler } = await import('../../lambda/handler.ts');
  const { logger } = await import('../../lambda/observability/logger.ts');
  const logs: RequestLogEntry[] = [];
  const capture = (message: unknown, ...extra: unknown[]): void => {
    if (message === 'request') logs.push(extra[0] as RequestLogEntry);
  };
  jest.spyOn(logger, 'info').mockImplementation(capture);
  jest.spyOn(logger, 'error').mockImplementation(capture);
  jest.spyOn(logger, 'warn').mockImplementation(() => {});
  return {
    invoke: (event, requestId = 'req-0001', responseStream = new CapturingResponseStream()) =>
      invokeStreamingHandler(handler, event, lambdaContext(requestId), responseStream),
    logs,
    async waitForLogs(count) {
      for (let turn = 0; turn < 100 && logs.length < count; turn += 1) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      return logs;
    },
  };
}

/** Every file of the on-demand DASH sample (media/dash/on-demand) as a stored object, its name as ETag. */
export function dashOnDemandObjects(lastModified: Date): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  for (const name of readdirSync(path.join(MEDIA_ROOT, 'dash/on-demand'))) {
    objects.set(`dash/on-demand/${name}`, {
      body: readFileSync(path.join(MEDIA_ROOT, 'dash/on-demand', name)),
      etag: `"${name}"`,
      lastModified,
    });
  }
  return objects;
}

/**
 * Registers an afterEach that takes the fake S3 down and asserts every S3 body the handler opened was closed;
 * the returned function installs a fresh fake S3 serving `objects` inside a test (with any extra options, such
 * as a fault).
 */
export function fakeS3EachTest(
  objects: Map<string, StoredObject>,
): (extra?: Omit<FakeS3Options, 'bucket' | 'objects'>) => FakeS3 {
  let fake: FakeS3 | undefined;
  afterEach(() => {
    fake?.mock.restore();
    fake = undefined;
    expect(leakedBodies()).toEqual([]);
    resetBodies();
  });
  return (extra = {}) => {
    fake = installFakeS3({ ...extra, bucket: BUCKET, objects });
    return fake;
  };
}
