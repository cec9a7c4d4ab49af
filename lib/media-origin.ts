import { type Duration, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ConfigError } from './config-error.ts';
import { functionEnvironment } from './function-environment.ts';
import { createAccessLogsBucket, createMediaBucket, grantServe } from './media-bucket.ts';
import { MediaCdn } from './media-cdn.ts';
import { createMediaFunction, DEFAULT_HANDLER_ENTRY } from './media-function.ts';
import { MEDIA_ORIGIN_DEFAULTS as D, type MediaOriginProps } from './media-origin-props.ts';
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
  /** Only with `accessLogging`. */
  readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: MediaOriginProps = {}) {
    super(scope, id);
    const keyPrefix = props.keyPrefix ?? D.keyPrefix;
    const corsAllowedOrigins = props.corsAllowedOrigins ?? D.corsAllowedOrigins;
    const publicUrl = props.publicUrl ?? D.publicUrl;
    // Issue #10: only a public URL's viewers are sent to S3; behind CloudFront the edge cache gives the length.
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
    validate(props, { maxResponseBytes, openRangeCapBytes, timeout, readTimeout, timing, keyPrefix });

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
    this.function = createMediaFunction(this, {
      entry: props.entry ?? DEFAULT_HANDLER_ENTRY,
      memorySize: props.memorySize ?? D.memorySize,
      timeout,
      logRetention: props.logRetention ?? D.logRetention,
      minify,
      environment: functionEnvironment({
        bucketName: this.bucket.bucketName,
        keyPrefix,
        corsAllowedOrigins,
        openRangeCapBytes,
        maxResponseBytes,
        maxRangeParts: props.maxRangeParts ?? D.maxRangeParts,
        defaultCacheControl: props.defaultCacheControl ?? D.defaultCacheControl,
        presignExpiresSeconds: props.presignExpiresSeconds ?? D.presignExpiresSeconds,
        plainGetRedirect,
        plainGetRedirectMinBytes: props.plainGetRedirectMinBytes ?? D.plainGetRedirectMinBytes,
        plainGetRedirectExpiresSeconds: props.plainGetRedirectExpiresSeconds ?? D.plainGetRedirectExpiresSeconds,
        ...timing,
        serviceName: props.serviceName ?? D.serviceName,
        logLevel: props.logLevel ?? D.logLevel,
        sourceMaps: true,
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
