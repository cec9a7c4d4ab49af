import { Annotations, type Duration, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALARM_EMAIL_PATTERN, AlarmTopic } from './alarm-topic.ts';
import {
  concurrencyCeiling,
  LAMBDA_MIN_UNRESERVED_CONCURRENCY,
  maxReservedConcurrency,
  type ReservedConcurrency,
} from './concurrency-guard.ts';
import { ConfigError } from './config-error.ts';
import { functionEnvironment } from './function-environment.ts';
import { MediaAlarms } from './media-alarms.ts';
import { createAccessLogsBucket, createMediaBucket, grantServe } from './media-bucket.ts';
import { MediaCdn } from './media-cdn.ts';
import { MediaDashboard } from './media-dashboard.ts';
import { createMediaFunction, DEFAULT_HANDLER_ENTRY } from './media-function.ts';
import { MEDIA_ORIGIN_DEFAULTS as D, type MediaOriginProps } from './media-origin-props.ts';
import { MediaSigningKeys } from './media-signing-keys.ts';
import { validateSigningPublicKeys } from './signing-public-keys.ts';
import {
  LAMBDA_MAX_TIMEOUT_SECONDS,
  LAMBDA_STREAM_MAX_BYTES,
  longestOriginSilenceSeconds,
  type S3Timing,
  worstCaseResponseSeconds,
} from './stream-budget.ts';

export type { MediaOriginProps } from './media-origin-props.ts';
export { MEDIA_ORIGIN_DEFAULTS } from './media-origin-props.ts';

/**
 * A streaming media origin: S3 bucket (new or existing) -> Lambda (Node.js 24, RESPONSE_STREAM Function URL)
 * -> CloudFront. Reusable: the app's stack is one instance of it.
 */
export class MediaOrigin extends Construct {
  readonly bucket: s3.IBucket;
  readonly function: NodejsFunction;
  readonly functionUrl: lambda.FunctionUrl;
  readonly distribution: cloudfront.Distribution;
  readonly cdn: MediaCdn;
  /** Only with `signingPublicKeys`: the PublicKeys and the KeyGroup CloudFront trusts. */
  readonly signingKeys?: MediaSigningKeys;
  /** Only with `accessLogging`. */
  readonly accessLogsBucket?: s3.IBucket;
  /** The origin's alarms (always created) and the dashboard showing them. */
  readonly alarms: MediaAlarms;
  readonly dashboard: cloudwatch.Dashboard;
  /** Where the alarms notify: the `alarmTopic` given, or the topic created for `alarmEmail`. */
  readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: MediaOriginProps = {}) {
    super(scope, id);
    const keyPrefix = props.keyPrefix ?? D.keyPrefix;
    const corsAllowedOrigins = props.corsAllowedOrigins ?? D.corsAllowedOrigins;
    const publicUrl = props.publicUrl ?? D.publicUrl;
    // only a public URL's viewers are sent to S3; behind CloudFront the edge cache gives the length.
    const plainGetRedirect = props.plainGetRedirect ?? (publicUrl ? 'presigned-s3' : 'off');
    const maxResponseBytes = props.maxResponseBytes ?? D.maxResponseBytes;
    const openRangeCapBytes = props.openRangeCapBytes ?? D.openRangeCapBytes;
    const timeout = props.timeout ?? D.timeout;
    const readTimeout = props.originReadTimeout ?? D.originReadTimeout;
    const timing: S3Timing = {
      s3ConnectTimeoutMs: props.s3ConnectTimeoutMs ?? D.s3ConnectTimeoutMs,
      s3FirstByteTimeoutMs: props.s3FirstByteTimeoutMs ?? D.s3FirstByteTimeoutMs,
      s3IdleTimeoutMs: props.s3IdleTimeoutMs ?? D.s3IdleTimeoutMs,
      resumeAttempts: props.resumeAttempts ?? D.resumeAttempts,
    };
    const reservedConcurrency = props.reservedConcurrency ?? D.reservedConcurrency;
    const accountConcurrency = props.accountConcurrency ?? D.accountConcurrency;
    validate(props, { maxResponseBytes, openRangeCapBytes, timeout, readTimeout, timing, keyPrefix });
    validateOps(props, reservedConcurrency, accountConcurrency);
    const corsAllowCredentials = props.corsAllowCredentials ?? D.corsAllowCredentials;
    const signingPublicKeys = props.signingPublicKeys ?? D.signingPublicKeys;
    validatePrivateMedia(corsAllowedOrigins, corsAllowCredentials, signingPublicKeys);
    const signingKeys =
      signingPublicKeys.length === 0 ? undefined : new MediaSigningKeys(this, 'SigningKeys', signingPublicKeys);
    if (signingKeys !== undefined) this.signingKeys = signingKeys;
    // The function checks signatures itself only when it can be reached without CloudFront (docs/private-media.md, "Topologies").
    const functionVerifies = signingKeys !== undefined && publicUrl;
    const playlistTokens = playlistTokenMode(signingKeys !== undefined, publicUrl);
    const functionKnowsBases = playlistTokens !== 'off';
    const signedUrlBases = [
      ...(props.domainNames ?? []).filter((name) => !name.startsWith('*.')).map((name) => `https://${name}`),
      ...(props.signedUrlBases ?? D.signedUrlBases),
    ];

    const logBucket = (props.accessLogging ?? D.accessLogging) ? createAccessLogsBucket(this) : undefined;
    if (logBucket !== undefined) this.accessLogsBucket = logBucket;
    this.bucket =
      props.bucket ??
      createMediaBucket(this, {
        versioned: props.bucketVersioned ?? D.bucketVersioned,
        // A cross-origin player that follows the 307 in CORS mode (hls.js, dash.js, <video crossorigin>) needs
        // CORS on the bucket too; a plain <video> does not.
        corsAllowedOrigins: plainGetRedirect === 'presigned-s3' ? corsAllowedOrigins : [],
        ...(logBucket === undefined ? {} : { accessLogs: logBucket }),
      });

    const minify = props.minify ?? D.minify;
    const serviceName = props.serviceName ?? D.serviceName;
    this.function = createMediaFunction(this, {
      entry: props.entry ?? DEFAULT_HANDLER_ENTRY,
      memorySize: props.memorySize ?? D.memorySize,
      timeout,
      logRetention: props.logRetention ?? D.logRetention,
      minify,
      ...(reservedConcurrency === 'none' ? {} : { reservedConcurrentExecutions: reservedConcurrency }),
      environment: functionEnvironment({
        bucketName: this.bucket.bucketName,
        keyPrefix,
        corsAllowedOrigins,
        corsAllowCredentials,
        requireSignedRequests: functionVerifies,
        signingPublicKeysJson: functionVerifies ? signingKeys.functionKeysJson(signingPublicKeys) : '',
        signedUrlBases: functionKnowsBases ? signedUrlBases : [],
        playlistTokens,
        openRangeCapBytes,
        maxResponseBytes,
        maxRangeParts: props.maxRangeParts ?? D.maxRangeParts,
        defaultCacheControl: props.defaultCacheControl ?? D.defaultCacheControl,
        presignExpiresSeconds: props.presignExpiresSeconds ?? D.presignExpiresSeconds,
        plainGetRedirect,
        plainGetRedirectMinBytes: props.plainGetRedirectMinBytes ?? D.plainGetRedirectMinBytes,
        plainGetRedirectExpiresSeconds: props.plainGetRedirectExpiresSeconds ?? D.plainGetRedirectExpiresSeconds,
        ...timing,
        serviceName,
        logLevel: props.logLevel ?? D.logLevel,
        // The source map ships in the asset but is not loaded at init (docs/performance.md, "Source maps").
        sourceMaps: false,
      }),
    });
    grantServe(this.bucket, this.function, keyPrefix, props.bucketEncryptionKey);

    // RESPONSE_STREAM: BUFFERED would cap responses at 6 MB and hold every byte until the end.
    // `cors` stays unset: the function answers CORS (one owner; two would duplicate the headers).
    this.functionUrl = this.function.addFunctionUrl({
      authType: publicUrl ? lambda.FunctionUrlAuthType.NONE : lambda.FunctionUrlAuthType.AWS_IAM,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });

    this.cdn = new MediaCdn(this, 'Cdn', {
      functionUrl: this.functionUrl,
      originAccessControl: !publicUrl,
      corsEnabled: corsAllowedOrigins.length > 0,
      ...(signingKeys === undefined ? {} : { trustedKeyGroup: signingKeys.keyGroup }),
      forwardSigningParameters: functionVerifies,
      ...(signingKeys === undefined || corsAllowedOrigins.length === 0
        ? {}
        : { edgeCors: { allowedOrigins: corsAllowedOrigins, allowCredentials: corsAllowCredentials } }),
      rangeInCacheKey: props.rangeInCacheKey ?? D.rangeInCacheKey,
      minTtl: props.cacheMinTtl ?? D.cacheMinTtl,
      defaultTtl: props.cacheDefaultTtl ?? D.cacheDefaultTtl,
      maxTtl: props.cacheMaxTtl ?? D.cacheMaxTtl,
      readTimeout,
      keepaliveTimeout: props.originKeepaliveTimeout ?? D.originKeepaliveTimeout,
      priceClass: props.priceClass ?? D.priceClass,
      ...(props.domainNames === undefined ? {} : { domainNames: props.domainNames }),
      ...(props.certificate === undefined ? {} : { certificate: props.certificate }),
      ...(logBucket === undefined ? {} : { logBucket }),
      ...(props.webAclId === undefined ? {} : { webAclId: props.webAclId }),
    });
    this.distribution = this.cdn.distribution;

    const topic =
      props.alarmTopic ??
      (props.alarmEmail === undefined
        ? undefined
        : new AlarmTopic(this, 'AlarmTopic', { email: props.alarmEmail }).topic);
    if (topic !== undefined) this.alarmTopic = topic;
    const ceiling = concurrencyCeiling(reservedConcurrency, accountConcurrency);
    this.alarms = new MediaAlarms(this, 'Alarms', {
      function: this.function,
      timeout,
      concurrencyCeiling: ceiling,
      serviceName,
      ...(topic === undefined ? {} : { topic }),
    });
    this.dashboard = new MediaDashboard(this, 'Dashboard', {
      alarms: this.alarms,
      function: this.function,
      logGroup: this.function.logGroup,
      timeout,
      concurrencyCeiling: ceiling,
    }).dashboard;
    if (functionVerifies && signedUrlBases.length === 0) {
      Annotations.of(this).addWarningV2(
        'media-origin:signedUrlBase',
        'The function verifies signed URLs (publicUrl + signingPublicKeys) but knows no public base URL: requests ' +
          'through the distribution reach it with the Function URL as Host, so their canned-policy signatures and ' +
          'host-specific Resources will not match. After the first deploy set -c signedUrlBase=https://<DistributionDomainName>.',
      );
    } else if (playlistTokens === 'edge-verified' && signedUrlBases.length === 0) {
      Annotations.of(this).addWarningV2(
        'media-origin:signedUrlBase',
        'Signed playlists hand a custom-policy token on to their URIs only when the policy Resource names a host ' +
          'the function knows, and behind CloudFront it sees the Function URL as Host. After the first deploy set ' +
          '-c signedUrlBase=https://<DistributionDomainName> (or use domainNames), or use signed cookies.',
      );
    }
    this.acknowledgeFindings();
  }

  /** cdk-nag findings on the function and its role that are deliberate, each with its reason. */
  private acknowledgeFindings(): void {
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'AWSLambdaBasicExecutionRole only allows writing to CloudWatch Logs; the function logs to its own log group ' +
        'with explicit retention.',
    });
  }
}

/** The concurrency guard and the notification settings. */
function validateOps(props: MediaOriginProps, reserved: ReservedConcurrency, account: number): void {
  if (!Number.isSafeInteger(account) || account < 1) {
    throw new ConfigError('property', 'accountConcurrency', account, 'a positive integer (the account quota)');
  }
  const max = maxReservedConcurrency(account);
  const kept = LAMBDA_MIN_UNRESERVED_CONCURRENCY;
  if (reserved !== 'none' && (!Number.isSafeInteger(reserved) || reserved < 1 || reserved > max)) {
    throw new ConfigError(
      'property',
      'reservedConcurrency',
      reserved,
      max < 1
        ? `"none": an account quota of ${account} leaves nothing to reserve (Lambda keeps ${kept} unreserved)`
        : `"none" or an integer from 1 to ${max} (the account quota of ${account} minus the ${kept} Lambda keeps ` +
            'unreserved; 0 would throttle every request; set accountConcurrency if your quota is higher)',
    );
  }
  if (props.alarmEmail !== undefined && !ALARM_EMAIL_PATTERN.test(props.alarmEmail)) {
    throw new ConfigError('property', 'alarmEmail', props.alarmEmail, 'an email address (name@example.com)');
  }
  if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
    throw new ConfigError('property', 'alarmEmail', props.alarmEmail, 'alarmEmail and alarmTopic exclude each other');
  }
}

/** Private media: credentials need explicit origins (Fetch standard), keys are checked. */
function validatePrivateMedia(
  corsAllowedOrigins: readonly string[],
  corsAllowCredentials: boolean,
  signingPublicKeys: MediaOriginProps['signingPublicKeys'] & object,
): void {
  if (corsAllowCredentials && (corsAllowedOrigins.length === 0 || corsAllowedOrigins.includes('*'))) {
    throw new ConfigError(
      'property',
      'corsAllowCredentials',
      corsAllowedOrigins,
      'explicit corsAllowedOrigins (browsers refuse credentials with "*")',
    );
  }
  validateSigningPublicKeys(signingPublicKeys);
}

interface Resolved {
  readonly maxResponseBytes: number;
  readonly openRangeCapBytes: number;
  readonly timeout: Duration;
  readonly readTimeout: Duration;
  readonly timing: S3Timing;
  readonly keyPrefix: string;
}

/** Cross-setting invariants the types cannot express. Each names the property (= the context key's stem). */
function validate(props: MediaOriginProps, r: Resolved): void {
  if (r.keyPrefix !== '' && (!r.keyPrefix.endsWith('/') || r.keyPrefix.startsWith('/') || /[*?]/.test(r.keyPrefix))) {
    throw new ConfigError(
      'property',
      'keyPrefix',
      r.keyPrefix,
      'empty or like "media/" (ends with "/", no leading "/", no * or ?)',
    );
  }
  if (
    !Number.isSafeInteger(r.maxResponseBytes) ||
    r.maxResponseBytes < 1 ||
    r.maxResponseBytes > LAMBDA_STREAM_MAX_BYTES
  ) {
    throw new ConfigError(
      'property',
      'maxResponseBytes',
      r.maxResponseBytes,
      `an integer from 1 to Lambda's streamed payload limit of ${LAMBDA_STREAM_MAX_BYTES} bytes`,
    );
  }
  if (
    !Number.isSafeInteger(r.openRangeCapBytes) ||
    r.openRangeCapBytes < 1 ||
    r.openRangeCapBytes > r.maxResponseBytes
  ) {
    throw new ConfigError(
      'property',
      'openRangeCapBytes',
      r.openRangeCapBytes,
      `an integer from 1 to maxResponseBytes (${r.maxResponseBytes})`,
    );
  }
  const needed = Math.ceil(worstCaseResponseSeconds(r.maxResponseBytes, r.timing));
  const timeoutSeconds = r.timeout.toSeconds();
  if (timeoutSeconds < needed || timeoutSeconds > LAMBDA_MAX_TIMEOUT_SECONDS) {
    throw new ConfigError(
      'property',
      'timeout (context timeoutSeconds)',
      timeoutSeconds,
      `from ${needed} to ${LAMBDA_MAX_TIMEOUT_SECONDS} seconds: streaming maxResponseBytes=${r.maxResponseBytes} at Lambda's ` +
        '2 MB/s cap plus S3 first-byte and resume timeouts takes up to that long; raise the timeout or lower maxResponseBytes',
    );
  }
  const silence = Math.ceil(longestOriginSilenceSeconds(r.timing));
  const readSeconds = r.readTimeout.toSeconds();
  if (readSeconds < silence || readSeconds > timeoutSeconds) {
    throw new ConfigError(
      'property',
      'originReadTimeout (context originReadTimeoutSeconds)',
      readSeconds,
      `from ${silence} seconds (the longest silence before the first byte or during an S3 resume) to the function ` +
        `timeout (${timeoutSeconds} s)`,
    );
  }
  const min = props.cacheMinTtl?.toSeconds() ?? D.cacheMinTtl.toSeconds();
  const def = props.cacheDefaultTtl?.toSeconds() ?? D.cacheDefaultTtl.toSeconds();
  const max = props.cacheMaxTtl?.toSeconds() ?? D.cacheMaxTtl.toSeconds();
  if (!(min <= def && def <= max)) {
    throw new ConfigError(
      'property',
      'cacheDefaultTtl',
      { min, default: def, max },
      'cacheMinTtl <= cacheDefaultTtl <= cacheMaxTtl',
    );
  }
  if ((props.domainNames === undefined || props.domainNames.length === 0) !== (props.certificate === undefined)) {
    throw new ConfigError(
      'property',
      'certificate',
      props.domainNames,
      'domainNames and certificate must be set together',
    );
  }
}

/**
 * Who verified a token that a signed playlist hands on to its URIs (docs/hls-from-dash.md, "Private media"): the
 * function on a public URL with private media; CloudFront behind OAC, where the URL answers nobody else. Never on
 * a public URL without private media: nothing verified the token and anyone could reach the function directly.
 */
function playlistTokenMode(privateMedia: boolean, publicUrl: boolean): 'verified' | 'edge-verified' | 'off' {
  if (!privateMedia) return 'off';
  return publicUrl ? 'verified' : 'edge-verified';
}
