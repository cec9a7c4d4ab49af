/**
 * Environment -> typed configuration, read once at init. This is the ONLY module that reads `process.env`
 * (config flows one way: CDK context or `npm start`'s options, then the environment, then this module): CDK (lib/) and the local stack (local/) set these variables by name, and every
 * other module receives the typed `Config`.
 *
 * Every value is validated with a message that names the variable and quotes the bad value, so a typo in a
 * CDK context value or a local `.env` fails the cold start loudly instead of serving with a surprising default.
 * An empty string counts as "unset" (CDK and shells often pass "" for "no value").
 */
import type { PlaylistTokenPolicy } from './hls/propagate-token.ts';
import type { CorsPolicy } from './http/cors-headers.ts';
import type { SignedRequestPolicy } from './signed-requests/admit-signed-request.ts';
import { parseSigningKeys, SigningKeysError } from './signed-requests/signing-keys.ts';

/** Environment variable names: the shared contract with lib/ (CDK) and local/. */
export const ENV = {
  bucketName: 'BUCKET_NAME',
  keyPrefix: 'KEY_PREFIX',
  corsAllowedOrigins: 'CORS_ALLOWED_ORIGINS',
  openRangeCapBytes: 'OPEN_RANGE_CAP_BYTES',
  maxResponseBytes: 'MAX_RESPONSE_BYTES',
  maxRangeParts: 'MAX_RANGE_PARTS',
  defaultCacheControl: 'DEFAULT_CACHE_CONTROL',
  presignExpiresSeconds: 'PRESIGN_EXPIRES_SECONDS',
  s3Endpoint: 'S3_ENDPOINT',
  s3ConnectTimeoutMs: 'S3_CONNECT_TIMEOUT_MS',
  s3FirstByteTimeoutMs: 'S3_FIRST_BYTE_TIMEOUT_MS',
  s3IdleTimeoutMs: 'S3_IDLE_TIMEOUT_MS',
  resumeAttempts: 'RESUME_ATTEMPTS',
  plainGetRedirect: 'PLAIN_GET_REDIRECT',
  plainGetRedirectMinBytes: 'PLAIN_GET_REDIRECT_MIN_BYTES',
  plainGetRedirectExpiresSeconds: 'PLAIN_GET_REDIRECT_EXPIRES_SECONDS',
  region: 'AWS_REGION',
  corsAllowCredentials: 'CORS_ALLOW_CREDENTIALS',
  requireSignedRequests: 'REQUIRE_SIGNED_REQUESTS',
  signingPublicKeys: 'SIGNING_PUBLIC_KEYS',
  signedUrlBase: 'SIGNED_URL_BASE',
  playlistTokens: 'PLAYLIST_TOKENS',
} as const;

/** Defaults for every optional variable. */
export const DEFAULTS = {
  keyPrefix: '',
  openRangeCapBytes: 5 * 1024 * 1024,
  maxResponseBytes: 190 * 1024 * 1024,
  maxRangeParts: 8,
  defaultCacheControl: 'public, max-age=86400',
  presignExpiresSeconds: 300,
  s3ConnectTimeoutMs: 1000,
  s3FirstByteTimeoutMs: 5000,
  s3IdleTimeoutMs: 10_000,
  resumeAttempts: 3,
  /**
   * Objects other than audio/video, playlists, segments and subtitles are sent to S3 for plain GETs from 1 MiB up
   * (docs/decisions/plain-get-redirect.md).
   */
  plainGetRedirectMinBytes: 1024 * 1024,
  /** 6 hours: outlasts a viewing session (the role's credentials may expire sooner; see docs/players.md). */
  plainGetRedirectExpiresSeconds: 6 * 60 * 60,
} as const;

/**
 * How plain GETs (no Range) of media files and `?download=` requests are answered
 * (docs/decisions/plain-get-redirect.md):
 * `presigned-s3` = 307 to a presigned S3 URL (S3 sends Content-Length, so GStreamer, WebKitGTK, wget, aria2 and
 * browser downloads learn the size); `off` = stream them from the function like any other answer.
 * Unset means `off`: handing out S3 URLs is an opt-in the stack makes for public Function URLs only.
 */
export const PLAIN_GET_REDIRECT_MODES = ['presigned-s3', 'off'] as const;
export type PlainGetRedirectMode = (typeof PLAIN_GET_REDIRECT_MODES)[number];

/**
 * Whether a playlist requested with a custom-policy signed URL hands the token on to its URIs
 * (docs/hls-from-dash.md, "Private media"): `verified` = the function verified the signature itself (needs
 * REQUIRE_SIGNED_REQUESTS=true); `edge-verified` = CloudFront verified it and the Function URL answers only
 * CloudFront (AWS_IAM + origin access control); `off` = never. Unset means `verified` when the function verifies
 * signatures, else `off`. This module cannot tell whether the Function URL is public, so `edge-verified` is set
 * by the stack only for the origin-access-control topology (lib/media-origin.ts).
 */
export const PLAYLIST_TOKEN_MODES = ['verified', 'edge-verified', 'off'] as const;
export type PlaylistTokenMode = (typeof PLAYLIST_TOKEN_MODES)[number];

export interface Config {
  readonly bucketName: string;
  readonly keyPrefix: string;
  /** undefined = CORS off (the function answers no CORS headers and OPTIONS gets 405). */
  readonly cors: CorsPolicy | undefined;
  readonly openRangeCapBytes: number;
  readonly maxResponseBytes: number;
  readonly maxRangeParts: number;
  readonly defaultCacheControl: string;
  readonly presignExpiresSeconds: number;
  /** S3-compatible endpoint (local stack); implies path-style addressing. */
  readonly s3Endpoint: string | undefined;
  readonly s3ConnectTimeoutMs: number;
  readonly s3FirstByteTimeoutMs: number;
  readonly s3IdleTimeoutMs: number;
  readonly resumeAttempts: number;
  readonly plainGetRedirect: PlainGetRedirectMode;
  /**
   * Plain GETs of objects that are neither audio/video nor a playlist, segment or subtitle are redirected from
   * this size up; also the length of a candidate's first ranged read (the most an MP4 sniff sees).
   */
  readonly plainGetRedirectMinBytes: number;
  readonly plainGetRedirectExpiresSeconds: number;
  /** undefined = let the SDK's default region chain decide. */
  readonly region: string | undefined;
  /**
   * CloudFront signed URLs / cookies required for GET and HEAD (REQUIRE_SIGNED_REQUESTS=true with
   * SIGNING_PUBLIC_KEYS); undefined = not required (the default).
   */
  readonly signedRequests: SignedRequestPolicy | undefined;
  /** Signed playlists hand their token on to their URIs (PLAYLIST_TOKENS); undefined = never. */
  readonly playlistTokens: PlaylistTokenPolicy | undefined;
}

/** Thrown at init when the environment is invalid; the message names the variable and the value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Lambda's streamed payload limit is "200 MB" (AWS Lambda docs, response streaming); read as decimal megabytes to
 * stay on the safe side. A budget above it would fail mid-stream instead of redirecting.
 */
const LAMBDA_STREAMED_PAYLOAD_LIMIT = 200_000_000;
/** SigV4 presigned URLs live at most 7 days. */
const PRESIGN_MAX_SECONDS = 7 * 24 * 60 * 60;
/** S3 bucket naming rules (3-63 chars, lower-case letters, digits, dots, hyphens, alphanumeric at both ends). */
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject control characters.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function describe(value: string): string {
  return JSON.stringify(value);
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  { min, max }: { readonly min: number; readonly max?: number },
): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  // Digits only: "5MB", "1e6", "0x10", " 5", "1.5" and "-1" are all typos we refuse rather than reinterpret.
  const kind = min >= 1 ? 'a positive integer' : 'a non-negative integer';
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be ${kind}, got ${describe(raw)}`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`${name} must be ${kind}, got ${describe(raw)}`);
  }
  if (max !== undefined && value > max) {
    throw new ConfigError(`${name} must be at most ${max}, got ${describe(raw)}`);
  }
  return value;
}

function bucketName(env: NodeJS.ProcessEnv): string {
  const raw = optional(env, ENV.bucketName);
  if (raw === undefined) throw new ConfigError(`${ENV.bucketName} is required (the bucket to serve)`);
  if (!BUCKET_NAME_PATTERN.test(raw) || raw.includes('..')) {
    throw new ConfigError(`${ENV.bucketName} must be an S3 bucket name, got ${describe(raw)}`);
  }
  return raw;
}

/**
 * The prefix is prepended to every key and must not be escapable, so it is held to a strict shape: relative
 * ("/" would create keys with an empty first segment), no "." or ".." segments, no control characters, and it
 * ends with "/" so that prefix "media" cannot silently serve "mediaX/..." keys.
 */
function keyPrefix(env: NodeJS.ProcessEnv): string {
  const raw = optional(env, ENV.keyPrefix);
  if (raw === undefined) return DEFAULTS.keyPrefix;
  const segments = raw.split('/').slice(0, -1);
  const valid =
    raw.endsWith('/') &&
    !raw.startsWith('/') &&
    !CONTROL_CHARACTERS.test(raw) &&
    !raw.includes('\\') &&
    segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!valid) {
    throw new ConfigError(
      `${ENV.keyPrefix} must be empty or a relative key prefix ending with "/" (e.g. "media/"), got ${describe(raw)}`,
    );
  }
  return raw;
}

/** "*" or a comma-separated list of serialized origins (RFC 6454: scheme://host[:port], no path, no slash). */
function cors(env: NodeJS.ProcessEnv): CorsPolicy | undefined {
  const raw = optional(env, ENV.corsAllowedOrigins);
  const credentials = flag(env, ENV.corsAllowCredentials);
  if (raw === undefined) {
    if (credentials) throw new ConfigError(`${ENV.corsAllowCredentials}=true needs ${ENV.corsAllowedOrigins}`);
    return undefined;
  }
  if (raw.trim() === '*') {
    // Fetch standard: a credentialed response may not say `Access-Control-Allow-Origin: *`.
    if (credentials) {
      throw new ConfigError(
        `${ENV.corsAllowCredentials}=true needs explicit origins in ${ENV.corsAllowedOrigins}, not "*" (browsers refuse credentials with "*")`,
      );
    }
    return { allowedOrigins: '*' };
  }
  const origins = originList(env, ENV.corsAllowedOrigins, raw);
  return credentials ? { allowedOrigins: origins, allowCredentials: true } : { allowedOrigins: origins };
}

function originList(env: NodeJS.ProcessEnv, name: string, raw: string = optional(env, name) ?? ''): string[] {
  const origins = raw.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    if (origin === '*') {
      throw new ConfigError(`${name} must be "*" alone or a list of origins, got ${describe(raw)}`);
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    const isOrigin =
      parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === origin;
    if (!isOrigin) {
      throw new ConfigError(
        `${name} must be "*" or comma-separated origins like "https://example.com", got ${describe(origin)} in ${describe(raw)}`,
      );
    }
  }
  return origins;
}

/** "true" or "false" (unset = false); anything else is a typo we refuse. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = optional(env, name);
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be "true" or "false", got ${describe(raw)}`);
}

/**
 * Private media: REQUIRE_SIGNED_REQUESTS=true needs SIGNING_PUBLIC_KEYS (JSON {"<CloudFront key id>":
 * "<PEM>"}, parsed here, once). SIGNED_URL_BASE lists the public origins viewers use besides the request's Host
 * (e.g. the CloudFront domain; see signed-requests/viewer-urls.ts). Keys without the flag are not enforced.
 */
function signedRequests(env: NodeJS.ProcessEnv): SignedRequestPolicy | undefined {
  const required = flag(env, ENV.requireSignedRequests);
  const rawKeys = optional(env, ENV.signingPublicKeys);
  if (!required) return undefined;
  if (rawKeys === undefined) {
    throw new ConfigError(`${ENV.requireSignedRequests}=true needs ${ENV.signingPublicKeys} (the trusted public keys)`);
  }
  let keys: SignedRequestPolicy['keys'];
  try {
    keys = parseSigningKeys(rawKeys);
  } catch (error) {
    // The message names the key id, never the PEM (public, but long and useless in a log line).
    if (error instanceof SigningKeysError) throw new ConfigError(`${ENV.signingPublicKeys} ${error.message}`);
    throw error;
  }
  return { keys, baseUrls: signedUrlBases(env) };
}

function signedUrlBases(env: NodeJS.ProcessEnv): string[] {
  return optional(env, ENV.signedUrlBase) === undefined ? [] : originList(env, ENV.signedUrlBase);
}

/**
 * PLAYLIST_TOKENS against REQUIRE_SIGNED_REQUESTS: `verified` needs the function to verify, and `edge-verified`
 * with the function verifying too is a contradiction (use `verified`), so both are refused rather than guessed.
 */
function playlistTokens(env: NodeJS.ProcessEnv, verifies: boolean): PlaylistTokenPolicy | undefined {
  const raw = optional(env, ENV.playlistTokens);
  const mode = raw === undefined ? (verifies ? 'verified' : 'off') : PLAYLIST_TOKEN_MODES.find((m) => m === raw);
  if (mode === undefined) {
    throw new ConfigError(
      `${ENV.playlistTokens} must be one of ${PLAYLIST_TOKEN_MODES.join(', ')}, got ${describe(raw ?? '')}`,
    );
  }
  if (mode === 'verified' && !verifies) {
    throw new ConfigError(
      `${ENV.playlistTokens}=verified needs ${ENV.requireSignedRequests}=true (the function verifies no signature; ` +
        'behind CloudFront with origin access control use edge-verified)',
    );
  }
  if (mode === 'edge-verified' && verifies) {
    throw new ConfigError(
      `${ENV.playlistTokens}=edge-verified contradicts ${ENV.requireSignedRequests}=true (the function verifies ` +
        'signatures itself: use verified)',
    );
  }
  if (mode === 'off') return undefined;
  return { verifiedBy: mode === 'verified' ? 'function' : 'edge', baseUrls: signedUrlBases(env) };
}

function headerValue(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  // A newline here would be header injection into every response.
  if (CONTROL_CHARACTERS.test(raw) || raw.trim() === '') {
    throw new ConfigError(`${name} must be a header value without control characters, got ${describe(raw)}`);
  }
  return raw.trim();
}

function endpoint(env: NodeJS.ProcessEnv): string | undefined {
  const raw = optional(env, ENV.s3Endpoint);
  if (raw === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(`${ENV.s3Endpoint} must be an http(s) URL, got ${describe(raw)}`);
  }
  return raw;
}

function plainGetRedirect(env: NodeJS.ProcessEnv): PlainGetRedirectMode {
  const raw = optional(env, ENV.plainGetRedirect);
  if (raw === undefined) return 'off';
  const mode = PLAIN_GET_REDIRECT_MODES.find((candidate) => candidate === raw);
  if (mode === undefined) {
    throw new ConfigError(
      `${ENV.plainGetRedirect} must be one of ${PLAIN_GET_REDIRECT_MODES.join(', ')}, got ${describe(raw)}`,
    );
  }
  return mode;
}

function region(env: NodeJS.ProcessEnv): string | undefined {
  const raw = optional(env, ENV.region);
  if (raw === undefined) return undefined;
  if (!/^[a-z0-9-]+$/.test(raw)) throw new ConfigError(`${ENV.region} must be a region name, got ${describe(raw)}`);
  return raw;
}

/** Pure: validates `env` and returns the typed configuration, or throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const openRangeCapBytes = integer(env, ENV.openRangeCapBytes, DEFAULTS.openRangeCapBytes, { min: 1 });
  const maxResponseBytes = integer(env, ENV.maxResponseBytes, DEFAULTS.maxResponseBytes, {
    min: 1,
    max: LAMBDA_STREAMED_PAYLOAD_LIMIT,
  });
  if (openRangeCapBytes > maxResponseBytes) {
    throw new ConfigError(
      `${ENV.openRangeCapBytes} (${openRangeCapBytes}) must not exceed ${ENV.maxResponseBytes} (${maxResponseBytes})`,
    );
  }
  return {
    bucketName: bucketName(env),
    keyPrefix: keyPrefix(env),
    cors: cors(env),
    openRangeCapBytes,
    maxResponseBytes,
    maxRangeParts: integer(env, ENV.maxRangeParts, DEFAULTS.maxRangeParts, { min: 1, max: 1000 }),
    defaultCacheControl: headerValue(env, ENV.defaultCacheControl, DEFAULTS.defaultCacheControl),
    presignExpiresSeconds: integer(env, ENV.presignExpiresSeconds, DEFAULTS.presignExpiresSeconds, {
      min: 1,
      max: PRESIGN_MAX_SECONDS,
    }),
    s3Endpoint: endpoint(env),
    s3ConnectTimeoutMs: integer(env, ENV.s3ConnectTimeoutMs, DEFAULTS.s3ConnectTimeoutMs, { min: 1 }),
    s3FirstByteTimeoutMs: integer(env, ENV.s3FirstByteTimeoutMs, DEFAULTS.s3FirstByteTimeoutMs, { min: 1 }),
    s3IdleTimeoutMs: integer(env, ENV.s3IdleTimeoutMs, DEFAULTS.s3IdleTimeoutMs, { min: 1 }),
    resumeAttempts: integer(env, ENV.resumeAttempts, DEFAULTS.resumeAttempts, { min: 0, max: 100 }),
    plainGetRedirect: plainGetRedirect(env),
    plainGetRedirectMinBytes: integer(env, ENV.plainGetRedirectMinBytes, DEFAULTS.plainGetRedirectMinBytes, {
      min: 1,
      max: maxResponseBytes,
    }),
    plainGetRedirectExpiresSeconds: integer(
      env,
      ENV.plainGetRedirectExpiresSeconds,
      DEFAULTS.plainGetRedirectExpiresSeconds,
      { min: 1, max: PRESIGN_MAX_SECONDS },
    ),
    region: region(env),
    ...privateMedia(env),
  };
}

function privateMedia(env: NodeJS.ProcessEnv): Pick<Config, 'signedRequests' | 'playlistTokens'> {
  const verified = signedRequests(env);
  return { signedRequests: verified, playlistTokens: playlistTokens(env, verified !== undefined) };
}
