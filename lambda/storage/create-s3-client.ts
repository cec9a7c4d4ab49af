/**
 * The S3 client, created once per container. Every wait is bounded (the SDK's default request timeout is
 * none): connect, first byte (response headers) and socket idle. Sockets are kept alive and
 * bounded, and every body is consumed or destroyed elsewhere so the pool never runs dry (aws-sdk-js-v3 #6691).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';

/**
 * Lambda runs one request per container at a time, but the local stack (and any multi-concurrency host) serves
 * many in one process. The SDK starts the connect timer when a request is created, not when it gets a socket, so
 * a request queued behind a full pool fails as a connect timeout (504): measured with 200 concurrent viewers in
 * test/load. The pool is sized above any concurrency this process is expected to serve; every body is still
 * consumed or destroyed, so sockets never leak.
 */
const MAX_SOCKETS = 512;

export type S3ClientConfig = Pick<
  Config,
  's3Endpoint' | 's3ConnectTimeoutMs' | 's3FirstByteTimeoutMs' | 's3IdleTimeoutMs' | 'region'
>;

/**
 * Per-request steps of the SDK's middleware stack that this read path does not need (profiled with
 * bench/profile/bundle-cpu.ts): the logger middleware filters every input and output for a logger that is never
 * configured (the SDK's default is a no-op), and the user-agent middleware rebuilds and escapes the SDK's
 * User-Agent string for every request (S3 serves a request without it). Signing, retries before the first
 * byte, endpoint resolution, region redirects and X-Ray trace propagation stay.
 */
export const UNNEEDED_MIDDLEWARE = ['loggerMiddleware', 'getUserAgentMiddleware'] as const;

/**
 * Settings the SDK would otherwise look up on the first request, each in the environment and then in the shared
 * config files (~/.aws/config, ~/.aws/credentials): on Lambda those files do not exist, yet the lookup loads and
 * runs the SDK's file reader and ini parser for every setting left unset. These are the SDK's own defaults,
 * fixed here: the function's settings come from its own environment variables (lambda/config.ts), so variables
 * such as AWS_MAX_ATTEMPTS or AWS_USE_FIPS_ENDPOINT are not read (region still is: AWS_REGION).
 * `ignoreConfiguredEndpointUrls` skips the per-service endpoint lookup (AWS_ENDPOINT_URL_S3 and the config
 * files' `services` sections): the endpoint is S3's own or S3_ENDPOINT (local stack).
 */
export const FIXED_SDK_SETTINGS = {
  defaultsMode: 'legacy',
  maxAttempts: 3,
  retryMode: 'standard',
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  useArnRegion: false,
  disableS3ExpressSessionAuth: false,
  authSchemePreference: [],
  ignoreConfiguredEndpointUrls: true,
} as const;

export function createS3Client(config: S3ClientConfig, maxSockets: number = MAX_SOCKETS): S3Client {
  const client = buildClient(config, maxSockets);
  for (const name of UNNEEDED_MIDDLEWARE) client.middlewareStack.remove(name);
  return client;
}

function buildClient(config: S3ClientConfig, maxSockets: number): S3Client {
  const agentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets };
  return new S3Client({
    ...FIXED_SDK_SETTINGS,
    authSchemePreference: [...FIXED_SDK_SETTINGS.authSchemePreference],
    ...(config.region === undefined ? {} : { region: config.region }),
    // S3-compatible servers (local stack) are addressed by URL path: virtual-hosted names need DNS for the bucket.
    ...(config.s3Endpoint === undefined ? {} : { endpoint: config.s3Endpoint, forcePathStyle: true }),
    // Full-object checksum validation only applies to whole-object reads and would report a mismatch after the
    // bytes were already streamed; the byte count and If-Match pinning are what protect the body here.
    responseChecksumValidation: 'WHEN_REQUIRED',
    // This client never uploads. With the SDK's default (WHEN_SUPPORTED) every presigned GET/HEAD (the 307s)
    // carried `x-amz-checksum-crc32=AAAAAA==`, the CRC of an empty payload: meaningless for a read, and a
    // parameter S3 is only reported to ignore. Only operations that require a checksum get one now.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // Resolve each command's middleware chain once per client, not on every send() (~4 % of the CPU of a small
    // request in bench/profile/bundle-cpu.ts). The stack is fixed after createS3Client returns.
    cacheMiddleware: true,
    requestHandler: {
      connectionTimeout: config.s3ConnectTimeoutMs,
      // @smithy/node-http-handler clears requestTimeout when the response headers arrive, so it is exactly a
      // first-byte timeout; throwOnRequestTimeout turns the breach into a TimeoutError (-> 504) instead of a
      // logged warning.
      requestTimeout: config.s3FirstByteTimeoutMs,
      throwOnRequestTimeout: true,
      // Socket inactivity, also while a body streams: the body then errors with TimeoutError and is resumed.
      socketTimeout: config.s3IdleTimeoutMs,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  });
}
