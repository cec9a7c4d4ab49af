import { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEFAULT_RESERVED_CONCURRENCY,
  type ReservedConcurrency,
} from './concurrency-guard.ts';
import type { SigningPublicKey } from './signing-public-keys.ts';

/**
 * Properties of the `MediaOrigin` construct. Every property is optional; the documented default is what a
 * `cdk deploy` without context gets. The CDK context keys of the app (lib/context.ts) map onto these 1:1.
 */
export interface MediaOriginProps {
  /**
   * Serve an existing bucket (e.g. `Bucket.fromBucketName`). The construct then only grants the function read
   * access to `keyPrefix`; it does not change the bucket's policy, encryption or logging.
   * @default - a new private bucket: BlockPublicAccess.BLOCK_ALL, TLS-only bucket policy, S3-managed encryption,
   *   retained when the stack is deleted (it holds your media).
   */
  readonly bucket?: s3.IBucket;
  /**
   * The KMS key of an existing SSE-KMS bucket; the function is granted kms:Decrypt on it.
   * @default - none (S3-managed encryption needs no key grant)
   */
  readonly bucketEncryptionKey?: kms.IKey;
  /**
   * Turn on versioning for the NEW bucket (ignored with `bucket`).
   * @default false
   */
  readonly bucketVersioned?: boolean;
  /**
   * Serve only keys under this prefix (KEY_PREFIX): the function prepends it to every request path and its role
   * can read nothing else. Empty, or ending with `/` so `media/` cannot also grant `media-private/`.
   * @default '' (the whole bucket)
   */
  readonly keyPrefix?: string;
  /**
   * Opt in to a PUBLIC Function URL (auth NONE) that players can use directly, bypassing CloudFront.
   * CloudFront then reaches the URL without Origin Access Control.
   * @default false - AWS_IAM auth; only the distribution (OAC, SigV4) can invoke the URL
   */
  readonly publicUrl?: boolean;
  /**
   * Origins allowed by CORS (CORS_ALLOWED_ORIGINS): `['*']` or exact origins such as `https://player.example`.
   * The FUNCTION answers CORS; the Function URL's own CORS setting stays empty (both would duplicate headers).
   * @default [] - CORS off
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * Answer allowed origins with `Access-Control-Allow-Credentials: true` (CORS_ALLOW_CREDENTIALS), so a player on
   * another origin can send signed cookies. Needs explicit `corsAllowedOrigins` (never `*`).
   * @default false
   */
  readonly corsAllowCredentials?: boolean;
  /**
   * Private media: public keys trusted for CloudFront signed URLs and signed cookies. Creates a
   * CloudFront PublicKey per key and a KeyGroup set as `trustedKeyGroups` on the media behaviour: CloudFront then
   * refuses unsigned requests at the edge. With `publicUrl` the function enforces the same keys itself
   * (REQUIRE_SIGNED_REQUESTS), since the URL can be reached without CloudFront. Behind OAC it does not (docs/private-media.md,
   * "Private media": only the distribution can invoke the URL, and it has checked the signature already).
   * @default [] - no signing: every object is readable by whoever reaches the distribution
   */
  readonly signingPublicKeys?: readonly SigningPublicKey[];
  /**
   * Public origins viewers use for signed URLs besides the Function URL itself (SIGNED_URL_BASE), e.g.
   * `https://d111111abcdef8.cloudfront.net`. The function rebuilds the viewer's URL from one of these to check a
   * signature; it cannot be told the distribution's own domain in the same deployment (circular), so set it after
   * the first deploy. `domainNames` are added automatically.
   * @default [] - only the Function URL's own host
   */
  readonly signedUrlBases?: readonly string[];
  /**
   * Most bytes answered to an open-ended `bytes=N-` range (206 with a truthful Content-Range), for clients known to
   * follow a short 206 with another request (browsers, AVFoundation); other clients (ffmpeg, VLC, curl, and
   * CloudFront, which replaces the User-Agent) get the exact remainder, bounded by `maxResponseBytes`.
   * @default 5242880 (5 MiB)
   */
  readonly openRangeCapBytes?: number;
  /**
   * Response budget; larger answers are redirected (307) to a presigned S3 URL. Must stay below Lambda's 200 MiB
   * streamed payload limit, and the function timeout must be able to stream it at 2 MB/s.
   * @default 199229440 (190 MiB)
   */
  readonly maxResponseBytes?: number;
  /**
   * Most parts in a multipart/byteranges answer after coalescing; more parts get a 200.
   * @default 8
   */
  readonly maxRangeParts?: number;
  /**
   * Cache-Control sent when an object has no Cache-Control metadata.
   * @default 'public, max-age=86400'
   */
  readonly defaultCacheControl?: string;
  /**
   * Lifetime of the presigned URLs used for redirects.
   * @default 300
   */
  readonly presignExpiresSeconds?: number;
  /**
   * How plain GETs (no Range) of media files and `?download=` requests are answered (PLAIN_GET_REDIRECT,
   * docs/decisions/plain-get-redirect.md): `presigned-s3` = 307 to a presigned S3 URL, so GStreamer, WebKitGTK,
   * wget, aria2 and browser downloads get a Content-Length (a streamed Function URL answer has none); `off` =
   * stream them.
   * @default - `presigned-s3` with `publicUrl` (viewers reach the URL directly), `off` otherwise: behind
   *   CloudFront the edge must not cache or hand S3 URLs to viewers (it gives Content-Length once cached).
   */
  readonly plainGetRedirect?: 'presigned-s3' | 'off';
  /**
   * Plain GETs of objects that are neither audio/video nor a playlist, segment or subtitle (images, JSON,
   * binaries) are redirected from this size up and stream below it; audio/video is always redirected, playlists,
   * segments and subtitles always stream. Also the length of the first ranged read of a candidate, hence the
   * largest MP4 init segment recognised as one (PLAIN_GET_REDIRECT_MIN_BYTES).
   * @default 1048576 (1 MiB)
   */
  readonly plainGetRedirectMinBytes?: number;
  /**
   * Lifetime of the plain-GET presigned URLs (PLAIN_GET_REDIRECT_EXPIRES_SECONDS). SigV4 URLs signed with the
   * function role's temporary credentials stop working when those expire, whatever this says (docs/players.md).
   * @default 21600 (6 hours)
   */
  readonly plainGetRedirectExpiresSeconds?: number;
  /** @default 1000 - S3 connect timeout (S3_CONNECT_TIMEOUT_MS) */
  readonly s3ConnectTimeoutMs?: number;
  /** @default 5000 - S3 response headers must arrive within this (S3_FIRST_BYTE_TIMEOUT_MS) */
  readonly s3FirstByteTimeoutMs?: number;
  /** @default 10000 - longest silence on an S3 body socket before resuming (S3_IDLE_TIMEOUT_MS) */
  readonly s3IdleTimeoutMs?: number;
  /** @default 3 - ranged re-reads after a mid-body S3 failure (RESUME_ATTEMPTS) */
  readonly resumeAttempts?: number;
  /**
   * Function memory in MiB. The handler is I/O-bound (a stream is capped at ~2 MB/s by Lambda after 6 MB and
   * buffers at most a few 64 KiB chunks), so memory buys CPU for the cold start, not throughput.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Function timeout. Must cover the worst-case response (lib/stream-budget.ts): with the defaults
   * 6 s + 96.6 s (184 MB at 2 MB/s) + 3 resumes x 16 s = 151 s.
   * @default Duration.seconds(180)
   */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** POWERTOOLS_LOG_LEVEL. @default 'INFO' */
  readonly logLevel?: string;
  /** POWERTOOLS_SERVICE_NAME. @default 'media-origin' */
  readonly serviceName?: string;
  /**
   * CloudFront TTLs. CloudFront honours the origin's Cache-Control max-age within [min, max]; `default` applies
   * when the origin sends none. Keep `min` at 0: redirects to presigned URLs carry `no-store`.
   * @default { min: 0 s, default: 1 day, max: 365 days }
   */
  readonly cacheMinTtl?: Duration;
  /** @default Duration.days(1) */
  readonly cacheDefaultTtl?: Duration;
  /** @default Duration.days(365) */
  readonly cacheMaxTtl?: Duration;
  /**
   * Put `Range` and `If-Range` in the CloudFront cache key. Off by default: CloudFront then handles ranges
   * natively (caches the object's parts and serves sub-ranges from cache; it may ask the origin for a wider
   * range). Turn on if a real deployment shows CloudFront mishandling the origin's chunked 206s: every distinct
   * Range is then forwarded verbatim and cached separately (lower hit ratio, exact behaviour).
   * @default false
   */
  readonly rangeInCacheKey?: boolean;
  /**
   * CloudFront origin response timeout: bounds the wait for the first byte AND each gap between packets.
   * Must cover the longest legitimate silence (lib/stream-budget.ts, 28 s with the defaults).
   * @default Duration.seconds(60)
   */
  readonly originReadTimeout?: Duration;
  /** @default Duration.seconds(30) - reused connections to the Function URL save TLS handshakes on seeks */
  readonly originKeepaliveTimeout?: Duration;
  /** @default PriceClass.PRICE_CLASS_100 (North America, Europe, Israel: the cheapest) */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Alternate domain names for the distribution; requires `certificate` (an ACM certificate in us-east-1).
   * @default - the distribution's *.cloudfront.net name only
   */
  readonly domainNames?: readonly string[];
  /** @default - none; required with `domainNames` */
  readonly certificate?: acm.ICertificate;
  /**
   * Standard access logs: CloudFront logs and (for a new bucket) S3 server access logs, into a new log bucket.
   * @default false
   */
  readonly accessLogging?: boolean;
  /**
   * ARN of a WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to attach to the distribution.
   * @default - none
   */
  readonly webAclId?: string;
  /**
   * Reserved concurrency of the function: the most requests it serves at once (more are throttled), and
   * concurrency the account's other functions can never lose to it. `'none'` removes the guard. At most the
   * account's quota minus the 100 Lambda keeps unreserved (lib/concurrency-guard.ts explains the default).
   * @default 100
   */
  readonly reservedConcurrency?: ReservedConcurrency;
  /**
   * The account's concurrent-executions quota in this Region: bounds `reservedConcurrency` at synthesis, and is
   * the concurrency alarm's ceiling when `reservedConcurrency` is `'none'`.
   * @default 1000 (Lambda's default quota)
   */
  readonly accountConcurrency?: number;
  /**
   * Create an SNS topic with this email subscribed (the address must confirm), and send alarm and OK
   * notifications to it. Not with `alarmTopic`.
   * @default - none
   */
  readonly alarmEmail?: string;
  /**
   * Send alarm and OK notifications to this existing topic. Not with `alarmEmail`.
   * @default - none: the alarms exist and show on the dashboard, but notify nobody
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Handler entry file.
   * @default lambda/handler.ts of this repository
   */
  readonly entry?: string;
  /**
   * Minify the bundle. Tests may turn it off to synthesize faster; deployments keep it on.
   * @default true
   */
  readonly minify?: boolean;
}

/** The defaults of `MediaOriginProps`, in one place (docs/operations.md's context table quotes them). */
export const MEDIA_ORIGIN_DEFAULTS = {
  bucketVersioned: false,
  keyPrefix: '',
  publicUrl: false,
  corsAllowedOrigins: [] as readonly string[],
  corsAllowCredentials: false,
  signingPublicKeys: [] as readonly SigningPublicKey[],
  signedUrlBases: [] as readonly string[],
  openRangeCapBytes: 5 * 1024 * 1024,
  maxResponseBytes: 190 * 1024 * 1024,
  maxRangeParts: 8,
  defaultCacheControl: 'public, max-age=86400',
  presignExpiresSeconds: 300,
  s3ConnectTimeoutMs: 1000,
  s3FirstByteTimeoutMs: 5000,
  s3IdleTimeoutMs: 10_000,
  resumeAttempts: 3,
  plainGetRedirectMinBytes: 1024 * 1024,
  plainGetRedirectExpiresSeconds: 6 * 60 * 60,
  memorySize: 1024,
  timeout: Duration.seconds(180),
  logRetention: logs.RetentionDays.ONE_MONTH,
  logLevel: 'INFO',
  serviceName: 'media-origin',
  cacheMinTtl: Duration.seconds(0),
  cacheDefaultTtl: Duration.days(1),
  cacheMaxTtl: Duration.days(365),
  rangeInCacheKey: false,
  originReadTimeout: Duration.seconds(60),
  originKeepaliveTimeout: Duration.seconds(30),
  priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
  accessLogging: false,
  reservedConcurrency: DEFAULT_RESERVED_CONCURRENCY as ReservedConcurrency,
  accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
  minify: true,
} as const;
