import { describe, expect, it } from '@jest/globals';
import { functionEnvironment } from '../../../lib/function-environment.ts';
import { MEDIA_ORIGIN_DEFAULTS } from '../../../lib/media-origin-props.ts';
import { localFunctionEnv } from '../../../local/function-env.ts';
import { workerResourceLimits } from '../../../local/runtimes/emulated/v8-heap-limits.ts';

const INPUT = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  bucket: 'media',
  s3Endpoint: 'http://127.0.0.1:4566',
  signingEnv: {},
  processEnv: {},
};

/** The deployed function's environment with the stack's defaults. */
const deployedEnv = (sourceMaps: boolean): Record<string, string> =>
  functionEnvironment({ ...MEDIA_ORIGIN_DEFAULTS, plainGetRedirect: 'off', bucketName: 'media', sourceMaps });

describe('localFunctionEnv', () => {
  it("gives the emulated function the deployed function's V8 young generation", () => {
    // Prepare
    const deployed = deployedEnv(true);

    // Act
    const local = localFunctionEnv(INPUT);

    // Assess: the same worker limits as the deployed NODE_OPTIONS, and not the default (none)
    expect(workerResourceLimits(local.NODE_OPTIONS)).toEqual(workerResourceLimits(deployed.NODE_OPTIONS));
    expect(workerResourceLimits(local.NODE_OPTIONS).maxYoungGenerationSizeMb).toBeGreaterThan(0);
  });

  it("gives the function's own process the deployed malloc setting", () => {
    // Prepare
    const deployed = deployedEnv(false);

    // Act
    const local = localFunctionEnv(INPUT);

    // Assess: LOCAL_RUNTIME=aws-lambda-ric starts the function's process with it, as Lambda does
    expect(deployed.GLIBC_TUNABLES).toMatch(/^glibc\.malloc\.top_pad=\d+$/);
    expect(local.GLIBC_TUNABLES).toBe(deployed.GLIBC_TUNABLES);
  });

  it('points the function at the local store with its credentials, and lets the caller override last', () => {
    // Act
    const env = localFunctionEnv({
      ...INPUT,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 'token' },
      overrides: { CORS_ALLOWED_ORIGINS: 'https://player.example', POWERTOOLS_LOG_LEVEL: 'WARN' },
      processEnv: { POWERTOOLS_LOG_LEVEL: 'DEBUG', PLAIN_GET_REDIRECT: 'presigned-s3', UNRELATED: 'x' },
    });

    // Assess
    expect(env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      BUCKET_NAME: 'media',
      S3_ENDPOINT: 'http://127.0.0.1:4566',
      CORS_ALLOWED_ORIGINS: 'https://player.example',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      PLAIN_GET_REDIRECT: 'presigned-s3',
    });
    expect(env).not.toHaveProperty('UNRELATED');
  });
});
