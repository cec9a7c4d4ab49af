/**
 * The local function's environment variables (local/stack.ts): what the deployed function gets from the stack
 * (lib/function-environment.ts), where it matters for how the function behaves, plus what only a local stack
 * sets (the embedded store's endpoint and credentials, CORS `*`). The variables Lambda itself defines are the
 * runtimes' to add (runtimes/lambda-defined-env.ts).
 */
import { functionGlibcTunables, functionNodeOptions } from '../lib/function-environment.ts';

export interface LocalFunctionEnvInput {
  readonly region: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly bucket: string;
  readonly s3Endpoint: string;
  /** Private media's variables (local/stack.ts), or none. */
  readonly signingEnv: Readonly<Record<string, string>>;
  /** The caller's own variables, applied last. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Where pass-through settings are read from (default: this process's environment). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

export function localFunctionEnv(input: LocalFunctionEnvInput): Record<string, string> {
  const { region, credentials } = input;
  const processEnv = input.processEnv ?? process.env;
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_LAMBDA_FUNCTION_NAME: 'media-origin-local',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    POWERTOOLS_SERVICE_NAME: 'media-origin',
    // The deployed function's V8 young generation: in the emulation it becomes the worker's resource
    // limit (runtimes/emulated/v8-heap-limits.ts), so the function's memory behaves here as deployed.
    // Source maps are moot here (the TypeScript source runs as is).
    NODE_OPTIONS: functionNodeOptions(false),
    // The deployed malloc setting. glibc reads it when a process starts, so it takes effect where the function has
    // a process of its own (LOCAL_RUNTIME=aws-lambda-ric); the emulation runs the function in a thread of this
    // process, which started without it.
    GLIBC_TUNABLES: functionGlibcTunables(),
    ...passThrough(processEnv, ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_DEV', 'AWS_LAMBDA_LOG_LEVEL']),
    BUCKET_NAME: input.bucket,
    S3_ENDPOINT: input.s3Endpoint,
    CORS_ALLOWED_ORIGINS: '*',
    ...input.signingEnv,
    // Plain GETs to S3: off unless asked (npm start and the e2e stack ask, like a public URL).
    ...passThrough(processEnv, [
      'PLAIN_GET_REDIRECT',
      'PLAIN_GET_REDIRECT_MIN_BYTES',
      'PLAIN_GET_REDIRECT_EXPIRES_SECONDS',
    ]),
    ...input.overrides,
  };
}

function passThrough(
  processEnv: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = processEnv[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
