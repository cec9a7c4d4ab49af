import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct, IConstruct } from 'constructs';
import { wildcardResourceFinding } from './nag-finding.ts';

/**
 * The private bucket the media lives in. Nothing reads it but the function's role: no public access, no
 * website hosting, TLS-only, S3-managed encryption (no KMS key to grant or pay for). Retained on stack
 * deletion because it holds the operator's media.
 */
export function createMediaBucket(
  scope: Construct,
  options: {
    readonly versioned: boolean;
    readonly accessLogs?: s3.IBucket;
    /** Origins allowed to read presigned redirects cross-origin in CORS mode (GET/HEAD, Range); [] = no CORS. */
    readonly corsAllowedOrigins?: readonly string[];
  },
): s3.IBucket {
  const bucket = new s3.Bucket(scope, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: options.versioned,
    removalPolicy: RemovalPolicy.RETAIN,
    // Multipart uploads from `npm run upload` that were interrupted would otherwise be billed forever.
    lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    ...((options.corsAllowedOrigins ?? []).length === 0
      ? {}
      : {
          cors: [
            {
              allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
              allowedOrigins: [...(options.corsAllowedOrigins ?? [])],
              allowedHeaders: ['Range', 'If-Range', 'If-Match', 'If-None-Match', 'If-Modified-Since'],
              exposedHeaders: ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag', 'Content-Type'],
              maxAge: 86_400,
            },
          ],
        }),
    ...(options.accessLogs === undefined
      ? {}
      : { serverAccessLogsBucket: options.accessLogs, serverAccessLogsPrefix: 's3-access/' }),
  });
  if (options.accessLogs === undefined) {
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logging is opt-in (context accessLogging=true) to avoid a log bucket by default; reads are ' +
        'logged by the function (one line per request) and, when enabled, by CloudFront.',
    });
  }
  return asIBucket(bucket);
}

/** The log bucket for CloudFront standard logs and S3 server access logs (only with accessLogging). */
export function createAccessLogsBucket(scope: Construct): s3.IBucket {
  const bucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    // CloudFront standard logging (legacy) delivers with an ACL grant, so ACLs must stay enabled.
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket itself; logging it into itself would loop.',
  });
  return asIBucket(bucket);
}

/**
 * Lets the function read exactly what it serves. `s3:GetObject` on `<prefix>*` (also covers HeadObject and
 * presigning redirects), and `s3:ListBucket` scoped by the `s3:prefix` condition to the same prefix: without
 * ListBucket S3 answers a missing key with 403 AccessDenied instead of 404 NoSuchKey.
 */
export function grantServe(
  bucket: s3.IBucket,
  grantee: iam.IGrantable & IConstruct,
  keyPrefix: string,
  encryptionKey: kms.IKey | undefined,
): void {
  const objects = bucket.arnForObjects(`${keyPrefix}*`);
  iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] });
  Validations.of(grantee).acknowledge({
    id: wildcardResourceFinding(bucket, objects),
    reason: `The function serves any key under the configured prefix ("${keyPrefix}"); the wildcard is the prefix itself.`,
  });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['s3:ListBucket'],
    resourceArns: [bucket.bucketArn],
    ...(keyPrefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [`${keyPrefix}*`] } } }),
  });
  encryptionKey?.grantDecrypt(grantee);
}

/**
 * aws-cdk-lib declares `Bucket.isWebsite` as `boolean | undefined` but `IBucket.isWebsite` as optional, so under
 * `exactOptionalPropertyTypes` the class is not assignable to its own interface. This is the one bridge.
 */
function asIBucket(bucket: s3.Bucket): s3.IBucket {
  return bucket as s3.IBucket;
}
