/**
 * The variables the Lambda Node.js runtime defines for every function (AWS docs, "Defined runtime environment
 * variables"), for both local runtimes (./runtime.ts). The real runtime client REQUIRES the function name,
 * version, memory size, log group and log stream at the first invocation; the in-house emulation gets the same
 * set so the handler sees one environment in both modes. The function's own variables override none of these
 * except where Lambda lets them (it does not; they are reserved), so they are applied last by the callers.
 */
import { randomBytes } from 'node:crypto';

export interface LambdaDefinedEnvOptions {
  readonly functionName: string;
  readonly memoryLimitInMB: number;
}

export function lambdaDefinedEnv(options: LambdaDefinedEnvOptions): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryLimitInMB),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
  };
}

/** The runtime's log stream name form: `YYYY/MM/DD/[$LATEST]<32 hex>`, one per execution environment. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
