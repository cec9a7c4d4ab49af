/**
 * The documented opt-ins, each synthesized from CDK context exactly as `cdk deploy -c key=value` passes it
 * (strings): public URL, existing bucket with a prefix and a KMS key, CORS, Range in the cache key, custom
 * domain + access logging + WAF, and the numeric settings.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { distributionArn, logicalId, removeAssemblies, synthesize } from './support/synth.ts';

afterAll(removeAssemblies);

type Props = Record<string, unknown>;

function propsOf(template: ReturnType<typeof synthesize>['template'], type: string): Props[] {
  return Object.values(template.findResources(type)).map((resource) => resource.Properties as Props);
}

/** The properties of the one resource of this type (fails the test if there is none). */
function one(template: ReturnType<typeof synthesize>['template'], type: string): Props {
  const [first] = propsOf(template, type);
  if (first === undefined) throw new Error(`no ${type} in the template`);
  return first;
}

describe('publicUrl=true', () => {
  const { stack, template } = synthesize({ publicUrl: 'true' });

  test('the URL is public (auth NONE) and still streams', () => {
    // Prepare: the public stack
    // Act
    const url = template;
    // Assess
    url.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      InvokeMode: 'RESPONSE_STREAM',
      Cors: Match.absent(),
    });
  });

  test('anyone may invoke it, through the URL only: both permissions for "*" with their conditions', () => {
    // Prepare
    const functionArn = { 'Fn::GetAtt': [logicalId(stack.origin.function), 'Arn'] };
    // Act
    const permissions = propsOf(template, 'AWS::Lambda::Permission');
    // Assess
    expect(permissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'lambda:InvokeFunctionUrl',
          Principal: '*',
          FunctionUrlAuthType: 'NONE',
          FunctionName: functionArn,
        }),
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Principal: '*',
          InvokedViaFunctionUrl: true,
          FunctionName: functionArn,
        }),
      ]),
    );
    expect(permissions.filter((permission) => permission.Principal === 'cloudfront.amazonaws.com')).toEqual([]);
  });

  test('CloudFront reaches the public URL without Origin Access Control', () => {
    // Prepare
    const distribution = one(template, 'AWS::CloudFront::Distribution');
    // Act
    const [origin] = ((distribution.DistributionConfig as Props).Origins ?? []) as Props[];
    // Assess
    expect(origin?.OriginAccessControlId).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'))).toEqual([]);
  });
});

describe('plain-GET redirects', () => {
  test('a public URL sends plain GETs to S3; the bucket gets CORS for the allowed origins (GET/HEAD, Range)', () => {
    // Prepare
    const { template } = synthesize({ publicUrl: 'true', corsAllowedOrigins: 'https://player.example' });
    // Act
    const bucket = template;
    // Assess
    bucket.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PLAIN_GET_REDIRECT: 'presigned-s3' }) },
    });
    bucket.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['GET', 'HEAD'],
            AllowedOrigins: ['https://player.example'],
            AllowedHeaders: Match.arrayWith(['Range']),
            ExposedHeaders: Match.arrayWith(['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag']),
          }),
        ],
      },
    });
  });

  test('behind CloudFront only (the default), no redirect and no bucket CORS even with CORS origins', () => {
    // Prepare
    const { template } = synthesize({ corsAllowedOrigins: 'https://player.example' });
    // Act
    const buckets = propsOf(template, 'AWS::S3::Bucket');
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PLAIN_GET_REDIRECT: 'off' }) },
    });
    expect(buckets.map((bucket) => bucket.CorsConfiguration)).toEqual([undefined]);
  });

  test('the context can choose the mode, threshold and lifetime', () => {
    // Prepare
    const { template } = synthesize({
      plainGetRedirect: 'presigned-s3',
      plainGetRedirectMinBytes: '65536',
      plainGetRedirectExpiresSeconds: '3600',
    });
    // Act
    const fn = template;
    // Assess
    fn.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PLAIN_GET_REDIRECT: 'presigned-s3',
          PLAIN_GET_REDIRECT_MIN_BYTES: '65536',
          PLAIN_GET_REDIRECT_EXPIRES_SECONDS: '3600',
        }),
      },
    });
  });
});

describe('existing bucket with keyPrefix and an SSE-KMS key', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const { template } = synthesize({ bucketName: 'existing-media', keyPrefix: 'media/', bucketKmsKeyArn: keyArn });

  test('creates no bucket and serves the named one under the prefix', () => {
    // Prepare: the existing-bucket stack
    // Act
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    // Assess
    expect(buckets).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BUCKET_NAME: 'existing-media', KEY_PREFIX: 'media/' }) },
    });
    template.hasOutput('BucketName', { Value: 'existing-media' });
  });

  test('the role reads only media/* and lists only with s3:prefix media/*, and may decrypt with the key', () => {
    // Prepare
    const bucketArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::existing-media']] };
    // Act
    const policy = one(template, 'AWS::IAM::Policy');
    // Assess
    expect((policy.PolicyDocument as Props).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::existing-media/media/*']] },
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['media/*'] } },
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
    ]);
  });
});

describe('corsAllowedOrigins', () => {
  const { template } = synthesize({ corsAllowedOrigins: 'https://player.example,https://admin.example' });

  test('reach the function as CORS_ALLOWED_ORIGINS', () => {
    // Prepare: the CORS stack
    // Act
    const fn = template;
    // Assess
    fn.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CORS_ALLOWED_ORIGINS: 'https://player.example,https://admin.example' }),
      },
    });
  });

  test('put Origin and the preflight headers in the cache key, so one origin never gets another one’s answer', () => {
    // Prepare
    const policy = one(template, 'AWS::CloudFront::CachePolicy');
    // Act
    const key = ((policy.CachePolicyConfig as Props).ParametersInCacheKeyAndForwardedToOrigin as Props).HeadersConfig;
    // Assess
    expect(key).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { CorsConfig: Match.absent() },
    });
  });
});

describe('rangeInCacheKey=true', () => {
  const { template } = synthesize({ rangeInCacheKey: 'true' });

  test('moves Range and If-Range into the cache key and keeps the preconditions forwarded', () => {
    // Prepare
    const cachePolicy = one(template, 'AWS::CloudFront::CachePolicy');
    const requestPolicy = one(template, 'AWS::CloudFront::OriginRequestPolicy');
    // Act
    const key = ((cachePolicy.CachePolicyConfig as Props).ParametersInCacheKeyAndForwardedToOrigin as Props)
      .HeadersConfig;
    const forwarded = ((requestPolicy.OriginRequestPolicyConfig as Props).HeadersConfig as Props).Headers;
    // Assess
    expect(key).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Range', 'If-Range'] });
    expect(forwarded).toEqual(['If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since']);
  });
});

describe('custom domain, access logging and WAF', () => {
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab';
  const webAclId = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/media/1234abcd-12ab-34cd-56ef-1234567890ab';
  const { stack, template } = synthesize({
    domainNames: 'media.example.com',
    certificateArn,
    accessLogging: 'true',
    webAclId,
    priceClass: 'PriceClass_All',
  });

  test('serves the domain with the certificate, TLS 1.2+, the web ACL and the price class', () => {
    // Prepare
    const distribution = one(template, 'AWS::CloudFront::Distribution');
    // Act
    const config = distribution.DistributionConfig as Props;
    // Assess
    expect(config).toMatchObject({
      Aliases: ['media.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
      WebACLId: webAclId,
      PriceClass: 'PriceClass_All',
    });
  });

  test('CloudFront and S3 server access logs go to a private log bucket', () => {
    // Prepare
    const logBucket = stack.origin.accessLogsBucket;
    if (logBucket === undefined) throw new Error('expected an access log bucket');
    const logBucketId = logicalId(logBucket);
    // Act
    const distribution = one(template, 'AWS::CloudFront::Distribution');
    // Assess
    expect((distribution.DistributionConfig as Props).Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 's3-access/' },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
    });
  });

  test('OAC permissions stay scoped to the distribution', () => {
    // Prepare
    const distributionId = logicalId(stack.origin.distribution);
    // Act
    const permissions = propsOf(template, 'AWS::Lambda::Permission');
    // Assess
    expect(permissions.map((permission) => permission.SourceArn)).toEqual([
      distributionArn(distributionId),
      distributionArn(distributionId),
    ]);
  });
});

describe('numeric settings from context', () => {
  const { template } = synthesize({
    memorySize: '2048',
    timeoutSeconds: '300',
    logRetentionDays: '7',
    openRangeCapBytes: '1048576',
    maxResponseBytes: '104857600',
    cacheMinTtlSeconds: '0',
    cacheDefaultTtlSeconds: '3600',
    cacheMaxTtlSeconds: '86400',
    originReadTimeoutSeconds: '45',
    logLevel: 'DEBUG',
  });

  test('reach the function, its log group, the cache policy and the origin', () => {
    // Prepare
    const distribution = one(template, 'AWS::CloudFront::Distribution');
    // Act
    const [origin] = ((distribution.DistributionConfig as Props).Origins ?? []) as Props[];
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          OPEN_RANGE_CAP_BYTES: '1048576',
          MAX_RESPONSE_BYTES: '104857600',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MinTTL: 0, DefaultTTL: 3600, MaxTTL: 86_400 }),
    });
    expect(origin?.CustomOriginConfig).toMatchObject({ OriginReadTimeout: 45 });
  });
});
