/**
 * The `context` a Lambda Node.js runtime hands to a handler, built the same way wherever this project invokes
 * the handler outside Lambda: the local runtime, the handler tests and the benchmark's hosts.
 */
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  readonly awsRequestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadlineMs: number;
  readonly functionName?: string;
  readonly memoryLimitInMB?: number;
  readonly region?: string;
  /** Log stream name; the runtime's form is `<date>/[$LATEST]<id>`. */
  readonly logStreamName?: string;
}

export function lambdaContext(options: LambdaContextOptions): Context {
  const functionName = options.functionName ?? 'media-origin';
  // Streaming handlers finish by ending their stream; the callback-style completions do not exist for them.
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is not available to streaming handlers`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region ?? 'us-east-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId: options.awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? `local/[$LATEST]${options.awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, options.deadlineMs - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
