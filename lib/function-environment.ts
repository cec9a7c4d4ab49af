/**
 * The only thing `lib/` and `lambda/` share: the NAMES of the environment variables the function reads
 * (lambda/config.ts reads them once at init and validates them). This module never imports from `lambda/`: the
 * CDK app must synthesize without loading runtime code, and the function must not carry CDK code. Keep this
 * table in step with docs/configuration.md.
 */

/** Environment variable names, keyed by the setting they carry. */
export const ENV = {
  bucketName: 'BUCKET_NAME',
  keyPrefix: 'KEY_PREFIX',
  corsAllowedOrigins: 'CORS_ALLOWED_ORIGINS',
  openRangeCapBytes: 'OPEN_RANGE_CAP_BYTES',
  maxResponseBytes: 'MAX_RESPONSE_BYTES',
  maxRangeParts: 'MAX_RANGE_PARTS',
  defaultCacheControl: 'DEFAULT_CACHE_CONTROL',
  presignExpiresSeconds: 'PRESIGN_EXPIRES_SECONDS',
  s3ConnectTimeoutMs: 'S3_CONNECT_TIMEOUT_MS',
  s3FirstByteTimeoutMs: 'S3_FIRST_BYTE_TIMEOUT_MS',
  s3IdleTimeoutMs: 'S3_IDLE_TIMEOUT_MS',
  resumeAttempts: 'RESUME_ATTEMPTS',
  plainGetRedirect: 'PLAIN_GET_REDIRECT',
  plainGetRedirectMinBytes: 'PLAIN_GET_REDIRECT_MIN_BYTES',
  plainGetRedirectExpiresSeconds: 'PLAIN_GET_REDIRECT_EXPIRES_SECONDS',
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsLogLevel: 'POWERTOOLS_LOG_LEVEL',
  nodeOptions: 'NODE_OPTIONS',
  glibcTunables: 'GLIBC_TUNABLES',
  corsAllowCredentials: 'CORS_ALLOW_CREDENTIALS',
  requireSignedRequests: 'REQUIRE_SIGNED_REQUESTS',
  signingPublicKeys: 'SIGNING_PUBLIC_KEYS',
  signedUrlBase: 'SIGNED_URL_BASE',
  playlistTokens: 'PLAYLIST_TOKENS',
} as const;

/**
 * V8's young-generation semi-space for the function, in MiB (NODE_OPTIONS `--max-semi-space-size`). Streaming
 * allocates a fresh off-heap 64 KiB buffer per socket read; with V8's default semi-space (16 MiB on 64-bit) the
 * young generation rarely fills, so those buffers are only freed when their external memory forces a full
 * mark-compact (about every 64 MB streamed). With 1 MiB, cheap scavenges free them first. Measured with
 * bench/profile/bundle-cpu.ts (docs/performance.md): CPU per GiB streamed 7.1 s -> 2.5 s and the RSS growth
 * while streaming from ~77 MiB to a few MiB, with no measurable cost per small request.
 */
export const FUNCTION_SEMI_SPACE_MB = 1;

/**
 * Free memory glibc's malloc keeps at the top of its heap instead of handing it back to the kernel
 * (`glibc.malloc.top_pad`, https://sourceware.org/glibc/manual/latest/html_node/Memory-Allocation-Tunables.html).
 * Node copies every HTTP body chunk it reads into a new 64 KiB buffer, and V8 frees those buffers in batches. With
 * glibc's default pad (128 KiB) the freed top of the heap goes back to the kernel at once and is asked for again a
 * moment later: strace counted one brk per ~280 KiB streamed, and each regrowth page-faults fresh zero-filled pages.
 * 64 MiB is above what one collection frees while a body streams (the RSS growth, under 40 MiB): no brk happens
 * then (32 MiB already helped; smaller pads did not reliably). Measured under the runtime client
 * (docs/performance.md): CPU per GiB streamed about halved, peak RSS unchanged (the pad is address space until a
 * page is touched).
 */
export const FUNCTION_MALLOC_TOP_PAD_BYTES = 64 * 1024 * 1024;

/** Values the deployed function receives; every field is already validated by the caller. */
export interface FunctionEnvironmentInput {
  readonly bucketName: string;
  readonly keyPrefix: string;
  readonly corsAllowedOrigins: readonly string[];
  readonly corsAllowCredentials: boolean;
  /** Private media: the function checks signed URLs/cookies itself (public URL). Default false. */
  readonly requireSignedRequests?: boolean;
  /** `{"<CloudFront key id>": "<PEM>"}` (may hold tokens). Default '' (none). */
  readonly signingPublicKeysJson?: string;
  readonly signedUrlBases: readonly string[];
  /**
   * Signed playlists hand a custom-policy token on to their URIs: `verified` when the function verifies
   * signatures, `edge-verified` when only CloudFront does and the URL answers only CloudFront (OAC), else `off`.
   * Default: `verified` with `requireSignedRequests`, else `off` (the function's own default).
   */
  readonly playlistTokens?: 'verified' | 'edge-verified' | 'off';
  readonly openRangeCapBytes: number;
  readonly maxResponseBytes: number;
  readonly maxRangeParts: number;
  readonly defaultCacheControl: string;
  readonly presignExpiresSeconds: number;
  readonly s3ConnectTimeoutMs: number;
  readonly s3FirstByteTimeoutMs: number;
  readonly s3IdleTimeoutMs: number;
  readonly resumeAttempts: number;
  readonly plainGetRedirect: 'presigned-s3' | 'off';
  readonly plainGetRedirectMinBytes: number;
  readonly plainGetRedirectExpiresSeconds: number;
  readonly serviceName: string;
  readonly logLevel: string;
  /**
   * Adds `--enable-source-maps` so stack traces in CloudWatch point at the TypeScript sources. Node then reads and
   * parses the bundle's source map at every cold start (tens of ms of init CPU, docs/performance.md), so the
   * stack leaves it off and the map is read offline instead.
   */
  readonly sourceMaps: boolean;
}

/**
 * Builds the function's environment. Every variable is set explicitly (even when it equals the handler's
 * default) so the deployed configuration can be read from the console without knowing the defaults.
 * `S3_ENDPOINT` is deliberately absent: it exists for the local stack only (it also switches to path-style).
 * `AWS_REGION` is reserved and set by Lambda itself.
 */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.bucketName]: input.bucketName,
    [ENV.keyPrefix]: input.keyPrefix,
    [ENV.corsAllowedOrigins]: input.corsAllowedOrigins.join(','),
    [ENV.corsAllowCredentials]: String(input.corsAllowCredentials),
    [ENV.requireSignedRequests]: String(input.requireSignedRequests ?? false),
    [ENV.signingPublicKeys]: input.signingPublicKeysJson ?? '',
    [ENV.signedUrlBase]: input.signedUrlBases.join(','),
    [ENV.playlistTokens]: input.playlistTokens ?? (input.requireSignedRequests === true ? 'verified' : 'off'),
    [ENV.openRangeCapBytes]: String(input.openRangeCapBytes),
    [ENV.maxResponseBytes]: String(input.maxResponseBytes),
    [ENV.maxRangeParts]: String(input.maxRangeParts),
    [ENV.defaultCacheControl]: input.defaultCacheControl,
    [ENV.presignExpiresSeconds]: String(input.presignExpiresSeconds),
    [ENV.s3ConnectTimeoutMs]: String(input.s3ConnectTimeoutMs),
    [ENV.s3FirstByteTimeoutMs]: String(input.s3FirstByteTimeoutMs),
    [ENV.s3IdleTimeoutMs]: String(input.s3IdleTimeoutMs),
    [ENV.resumeAttempts]: String(input.resumeAttempts),
    [ENV.plainGetRedirect]: input.plainGetRedirect,
    [ENV.plainGetRedirectMinBytes]: String(input.plainGetRedirectMinBytes),
    [ENV.plainGetRedirectExpiresSeconds]: String(input.plainGetRedirectExpiresSeconds),
    [ENV.powertoolsServiceName]: input.serviceName,
    [ENV.powertoolsLogLevel]: input.logLevel,
  };
  env[ENV.nodeOptions] = functionNodeOptions(input.sourceMaps);
  env[ENV.glibcTunables] = functionGlibcTunables();
  return env;
}

/**
 * The function's NODE_OPTIONS: its V8 young generation, and source-mapped stack traces when asked. The local
 * stack gives its function the same (local/stack.ts), so its memory and GC behave as deployed.
 */
export function functionNodeOptions(sourceMaps: boolean): string {
  const nodeOptions = [`--max-semi-space-size=${FUNCTION_SEMI_SPACE_MB}`];
  if (sourceMaps) nodeOptions.push('--enable-source-maps');
  return nodeOptions.join(' ');
}

/**
 * The function's GLIBC_TUNABLES: glibc reads it when the process starts, so on Lambda it reaches the runtime's
 * Node process like NODE_OPTIONS (it is not one of Lambda's reserved variables:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
export function functionGlibcTunables(): string {
  return `glibc.malloc.top_pad=${FUNCTION_MALLOC_TOP_PAD_BYTES}`;
}
