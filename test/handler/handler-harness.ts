/**
 * Loads the REAL handler module (lambda/handler.ts) the way the Lambda runtime does: environment first,
 * then the `awslambda` global, then the import (middy calls awslambda.streamifyResponse at import, and the
 * handler reads its configuration once at init). Jest gives every test file its own module registry, so each
 * file gets a fresh handler with the environment it sets.
 *
 * The request log lines are captured by spying on the handler's own Powertools logger.
 */
import { jest } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { RequestLogEntry } from '../../lambda/observability/request-log.ts';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import { CapturingResponseStream } from '../support/capturing-response-stream.ts';
import {
  invokeStreamingHandler,
  lambdaContext,
  type StreamingInvocation,
} from '../support/invoke-streaming-handler.ts';

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
