/**
 * CDK context -> settings (lib/context.ts), and the construct's cross-setting checks: every invalid value must
 * stop synthesis with a message that names the key and the value; CLI strings and cdk.json JSON both work.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ConfigError } from '../../lib/config-error.ts';
import { CONTEXT_KEYS, parseContext } from '../../lib/context.ts';
import { MediaOrigin } from '../../lib/media-origin.ts';
import type { MediaOriginProps } from '../../lib/media-origin-props.ts';
import { MIN_FUNCTION_MEMORY_MB } from '../../lib/memory-budget.ts';

function errorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseContext', () => {
  test('no context: the defaults (stack MediaOrigin, no props set)', () => {
    // Prepare
    const context = {};
    // Act
    const settings = parseContext(context);
    // Assess
    expect(settings).toEqual({ stackName: 'MediaOrigin', props: {} });
  });

  test('CLI strings (-c key=value) are parsed into typed props', () => {
    // Prepare
    const context = {
      stackName: 'Media-Prod',
      bucketName: 'my.media-bucket',
      keyPrefix: 'media/',
      publicUrl: 'true',
      corsAllowedOrigins: 'https://a.example, https://b.example:8443',
      openRangeCapBytes: '1048576',
      memorySize: '2048',
      timeoutSeconds: '300',
      logRetentionDays: '90',
      priceClass: 'PriceClass_200',
      rangeInCacheKey: 'false',
      domainNames: 'media.example.com,*.cdn.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    };
    // Act
    const settings = parseContext(context);
    // Assess
    expect(settings).toEqual({
      stackName: 'Media-Prod',
      bucketName: 'my.media-bucket',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      props: {
        keyPrefix: 'media/',
        publicUrl: true,
        corsAllowedOrigins: ['https://a.example', 'https://b.example:8443'],
        openRangeCapBytes: 1_048_576,
        memorySize: 2048,
        timeout: Duration.seconds(300),
        logRetention: logs.RetentionDays.THREE_MONTHS,
        priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
        rangeInCacheKey: false,
        domainNames: ['media.example.com', '*.cdn.example.com'],
      },
    });
  });

  test('cdk.json JSON values (numbers, booleans, arrays) are accepted too', () => {
    // Prepare
    const context = { publicUrl: true, memorySize: 512, corsAllowedOrigins: ['*'], cacheMaxTtlSeconds: 600 };
    // Act
    const settings = parseContext(context);
    // Assess
    expect(settings.props).toEqual({
      publicUrl: true,
      memorySize: 512,
      corsAllowedOrigins: ['*'],
      cacheMaxTtl: Duration.seconds(600),
    });
  });

  test('the concurrency guard and alarm notifications: "none", numbers, an email, a topic ARN', () => {
    // Prepare
    const none = { reservedConcurrency: 'none', alarmEmail: 'ops@example.com' };
    const numbers = {
      reservedConcurrency: '250',
      accountConcurrency: 3000,
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alerts',
    };
    // Act
    const [first, second] = [parseContext(none), parseContext(numbers)];
    // Assess
    expect(first.props).toEqual({ reservedConcurrency: 'none', alarmEmail: 'ops@example.com' });
    expect(second.props).toEqual({ reservedConcurrency: 250, accountConcurrency: 3000 });
    expect(second.alarmTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:ops-alerts');
  });

  test('an empty value means "not set"', () => {
    // Prepare
    const context = { keyPrefix: '', memorySize: '' };
    // Act
    const settings = parseContext(context);
    // Assess
    expect(settings.props).toEqual({});
  });

  test('CDK keys (feature flags, aws:cdk:*, lookups) are left alone', () => {
    // Prepare
    const context = {
      '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
      'aws:cdk:enable-path-metadata': true,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      'acknowledged-issue-numbers': [12345],
    };
    // Act
    const settings = parseContext(context);
    // Assess
    expect(settings).toEqual({ stackName: 'MediaOrigin', props: {} });
  });

  test.each<[string, Record<string, unknown>, string, unknown]>([
    ['a typo of a known key, with a suggestion', { keyprefix: 'media/' }, 'did you mean "keyPrefix"', 'media/'],
    ['a close misspelling', { memorySise: '2048' }, 'did you mean "memorySize"', '2048'],
    ['an unknown key', { colour: 'blue' }, 'known keys: stackName', 'blue'],
    ['a non-integer', { memorySize: '2GB' }, 'an integer from 128 to 10240', '2GB'],
    ['a too small memory', { memorySize: 64 }, 'an integer from 128 to 10240', 64],
    [
      'a memory size below the measured peak RSS plus headroom',
      { memorySize: String(MIN_FUNCTION_MEMORY_MB - 1) },
      `at least ${MIN_FUNCTION_MEMORY_MB} (MB): the function's measured peak RSS`,
      String(MIN_FUNCTION_MEMORY_MB - 1),
    ],
    ['a fractional number', { openRangeCapBytes: 1.5 }, 'an integer from 1 to 200000000', 1.5],
    ['a budget above the streaming limit', { maxResponseBytes: '209715200' }, 'to 200000000', '209715200'],
    ['a non-boolean', { publicUrl: 'yes' }, 'true or false', 'yes'],
    ['a retention CloudWatch does not offer', { logRetentionDays: '10' }, 'CloudWatch retention days', '10'],
    ['a prefix without trailing slash', { keyPrefix: 'media' }, 'ends with "/"', 'media'],
    ['a prefix with a leading slash', { keyPrefix: '/media/' }, 'no leading "/"', '/media/'],
    ['a prefix with ..', { keyPrefix: 'a/../b/' }, '".."', 'a/../b/'],
    ['a prefix with an IAM wildcard', { keyPrefix: 'me*dia/' }, 'no * ?', 'me*dia/'],
    [
      'an origin with a path',
      { corsAllowedOrigins: 'https://a.example/player' },
      'no path',
      'https://a.example/player',
    ],
    [
      'an origin with a trailing slash',
      { corsAllowedOrigins: 'https://a.example/' },
      'scheme://host',
      'https://a.example/',
    ],
    ['"*" mixed with origins', { corsAllowedOrigins: '*,https://a.example' }, '"*" or origins', '*,https://a.example'],
    ['a bucket name with capitals', { bucketName: 'My-Bucket' }, 'an S3 bucket name', 'My-Bucket'],
    [
      'a certificate outside us-east-1',
      { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' },
      'us-east-1',
      'arn:aws:acm:eu-west-1:123456789012:certificate/x',
    ],
    ['an unknown price class', { priceClass: 'PriceClass_300' }, 'one of PriceClass_100', 'PriceClass_300'],
    ['an unknown log level', { logLevel: 'verbose' }, 'one of TRACE', 'verbose'],
    [
      'a header value with a newline',
      { defaultCacheControl: 'max-age=1\r\nX: y' },
      'Cache-Control value',
      'max-age=1\r\nX: y',
    ],
    ['a reserved concurrency that is not a number', { reservedConcurrency: 'lots' }, '"none" or an integer', 'lots'],
    ['a reserved concurrency of 0', { reservedConcurrency: '0' }, '"none" or an integer from 1', '0'],
    ['a negative reserved concurrency', { reservedConcurrency: -5 }, '"none" or an integer from 1', -5],
    ['an account quota of 0', { accountConcurrency: '0' }, 'an integer from 1', '0'],
    ['an alarm email without a domain', { alarmEmail: 'ops' }, 'an email address', 'ops'],
    [
      'two alarm emails',
      { alarmEmail: 'a@example.com,b@example.com' },
      'an email address',
      'a@example.com,b@example.com',
    ],
    [
      'an alarm topic that is not an SNS ARN',
      { alarmTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' },
      'an SNS topic ARN',
      'arn:aws:sqs:eu-west-1:123456789012:q',
    ],
    [
      'an upper-case domain name',
      { domainNames: 'Media.Example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
      'lower-case DNS names',
      'Media.Example.com',
    ],
  ])('rejects %s', (_name, context, expectation, value) => {
    // Prepare: the context above
    // Act
    const error = errorOf(() => parseContext(context));
    // Assess
    const key = Object.keys(context)[0];
    expect(error.key).toBe(key);
    expect(error.value).toEqual(value);
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toContain(expectation);
    expect(error.message).toContain(JSON.stringify(value));
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['domainNames without certificateArn', { domainNames: 'media.example.com' }, 'certificateArn'],
    [
      'certificateArn without domainNames',
      { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
      'domainNames',
    ],
    [
      'a KMS key without an existing bucket',
      { bucketKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' },
      'bucketName',
    ],
    ['versioning an existing bucket', { bucketName: 'existing', bucketVersioned: 'true' }, 'bucketVersioned'],
    [
      'an alarm email and an alarm topic',
      { alarmEmail: 'ops@example.com', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' },
      'alarmEmail',
    ],
  ])('rejects %s', (_name, context, key) => {
    // Prepare: the context above
    // Act
    const error = errorOf(() => parseContext(context));
    // Assess
    expect(error.key).toBe(key);
  });

  test('every documented key is known', () => {
    // Prepare
    const documented = [
      'stackName',
      'bucketName',
      'bucketKmsKeyArn',
      'bucketVersioned',
      'keyPrefix',
      'publicUrl',
      'corsAllowedOrigins',
      'openRangeCapBytes',
      'maxResponseBytes',
      'maxRangeParts',
      'defaultCacheControl',
      'presignExpiresSeconds',
      's3ConnectTimeoutMs',
      's3FirstByteTimeoutMs',
      's3IdleTimeoutMs',
      'resumeAttempts',
      'memorySize',
      'timeoutSeconds',
      'logRetentionDays',
      'logLevel',
      'cacheMinTtlSeconds',
      'cacheDefaultTtlSeconds',
      'cacheMaxTtlSeconds',
      'rangeInCacheKey',
      'originReadTimeoutSeconds',
      'originKeepaliveTimeoutSeconds',
      'plainGetRedirect',
      'plainGetRedirectMinBytes',
      'plainGetRedirectExpiresSeconds',
      'priceClass',
      'domainNames',
      'certificateArn',
      'accessLogging',
      'webAclId',
      'reservedConcurrency',
      'accountConcurrency',
      'alarmEmail',
      'alarmTopicArn',
      'corsAllowCredentials',
      'signingPublicKeys',
      'signedUrlBase',
    ];
    // Act
    const known = [...CONTEXT_KEYS].sort();
    // Assess
    expect(known).toEqual([...documented].sort());
  });
});

describe('MediaOrigin cross-setting checks', () => {
  // These throw before the function is created, so no bundling happens here.
  function construct(props: MediaOriginProps): void {
    new MediaOrigin(new Stack(new App(), 'Check'), 'MediaOrigin', props);
  }

  test.each<[string, MediaOriginProps, string]>([
    ['a timeout too short to stream the response budget', { timeout: Duration.seconds(60) }, 'timeout'],
    ['a timeout beyond Lambda’s 15 minutes', { timeout: Duration.seconds(901) }, 'timeout'],
    [
      'a CloudFront read timeout shorter than an S3 resume',
      { originReadTimeout: Duration.seconds(20) },
      'originReadTimeout',
    ],
    [
      'a CloudFront read timeout longer than the function can run',
      { originReadTimeout: Duration.seconds(200) },
      'originReadTimeout',
    ],
    [
      'an open-range cap above the response budget',
      { openRangeCapBytes: 10, maxResponseBytes: 5 },
      'openRangeCapBytes',
    ],
    ['a response budget above Lambda’s streaming limit', { maxResponseBytes: 200_000_001 }, 'maxResponseBytes'],
    ['TTLs out of order', { cacheDefaultTtl: Duration.days(400) }, 'cacheDefaultTtl'],
    ['a domain without a certificate', { domainNames: ['media.example.com'] }, 'certificate'],
    ['a prefix that is not a directory', { keyPrefix: 'media' }, 'keyPrefix'],
    ['a reserved concurrency above the account quota minus 100', { reservedConcurrency: 1000 }, 'reservedConcurrency'],
  ])('rejects %s', (_name, props, key) => {
    // Prepare: the props above
    // Act
    const error = errorOf(() => construct(props));
    // Assess
    expect(error.key).toContain(key);
  });

  test('the timeout bound is computed from the response budget and the S3 timeouts', () => {
    // Prepare
    const props: MediaOriginProps = {
      maxResponseBytes: 20_000_000,
      openRangeCapBytes: 1_000_000,
      timeout: Duration.seconds(40),
    };
    // Act
    const error = errorOf(() => construct(props));
    // Assess: 6 s + 7 s (14 MB at 2 MB/s) + 48 s of resumes = 61 s needed; 60 s is not enough either
    expect(error.message).toContain('from 61 to 900 seconds');
  });
});

describe('memorySize floor', () => {
  test('the floor is the measured peak RSS plus headroom, and the default memory is above it', async () => {
    // Prepare
    const { MEDIA_ORIGIN_DEFAULTS } = await import('../../lib/media-origin-props.ts');
    const { MEASURED_PEAK_RSS_MB, MEMORY_HEADROOM_FACTOR } = await import('../../lib/memory-budget.ts');

    // Act
    const accepted = parseContext({ memorySize: String(MIN_FUNCTION_MEMORY_MB) });

    // Assess
    expect(MIN_FUNCTION_MEMORY_MB).toBeGreaterThanOrEqual(MEASURED_PEAK_RSS_MB * MEMORY_HEADROOM_FACTOR);
    expect(accepted.props.memorySize).toBe(MIN_FUNCTION_MEMORY_MB);
    expect(MEDIA_ORIGIN_DEFAULTS.memorySize).toBeGreaterThanOrEqual(MIN_FUNCTION_MEMORY_MB);
  });
});
