/**
 * The default stack (no context): the properties whose absence causes the field failures the issue lists -
 * 403s from a missing invoke permission or a forwarded Host, a timeout that kills streams, Docker bundling,
 * BUFFERED invoke mode - plus bucket security and the function's configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { distributionArn, logicalId, removeAssemblies, type Synthesized, synthesize } from './support/synth.ts';

afterAll(removeAssemblies);

let synthesized: Synthesized;
let functionId: string;
let urlId: string;
let distributionId: string;
let bucketId: string;

beforeAll(() => {
  synthesized = synthesize();
  const origin = synthesized.stack.origin;
  functionId = logicalId(origin.function);
  urlId = logicalId(origin.functionUrl);
  distributionId = logicalId(origin.distribution);
  bucketId = logicalId(origin.bucket);
});

type Props = Record<string, unknown>;

function resources(type: string): Props[] {
  return Object.values(synthesized.template.findResources(type)).map((resource) => resource.Properties as Props);
}

function distributionConfig(): Props {
  const [distribution] = resources('AWS::CloudFront::Distribution');
  return (distribution?.DistributionConfig ?? {}) as Props;
}

describe('Function URL', () => {
  test('streams (RESPONSE_STREAM) with AWS_IAM auth and no URL-level CORS', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      InvokeMode: 'RESPONSE_STREAM',
      TargetFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Cors: Match.absent(),
    });
  });

  test('CloudFront may call lambda:InvokeFunctionUrl, scoped to this distribution', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: 'cloudfront.amazonaws.com',
      SourceArn: distributionArn(distributionId),
      FunctionName: { 'Fn::GetAtt': [urlId, 'FunctionArn'] },
    });
  });

  test('CloudFront may also call lambda:InvokeFunction, only via the Function URL (required since Oct 2025)', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cloudfront.amazonaws.com',
      SourceArn: distributionArn(distributionId),
      InvokedViaFunctionUrl: true,
      FunctionName: { 'Fn::GetAtt': [urlId, 'FunctionArn'] },
    });
  });

  test('nobody else may invoke it: every permission is CloudFront scoped to the distribution', () => {
    // Prepare
    const permissions = resources('AWS::Lambda::Permission');
    // Act
    const principals = permissions.map((permission) => [permission.Principal, permission.SourceArn]);
    // Assess
    expect(permissions.length).toBeGreaterThan(0);
    for (const [principal, sourceArn] of principals) {
      expect(principal).toBe('cloudfront.amazonaws.com');
      expect(sourceArn).toEqual(distributionArn(distributionId));
    }
  });
});

describe('Origin Access Control', () => {
  test('signs every request to the Lambda origin with SigV4', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 'lambda',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
  });

  test('the origin is the Function URL over HTTPS, with OAC, a read timeout sized for the handler and keep-alive', () => {
    // Prepare
    const oacId = logicalId(
      synthesized.stack.origin.cdn.distribution.node
        .findAll()
        .find((c) => c.node.id === 'FunctionUrlOriginAccessControl') ?? synthesized.stack,
    );
    // Act
    const [origin] = (distributionConfig().Origins ?? []) as Props[];
    // Assess
    expect(origin).toMatchObject({
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [urlId, 'FunctionUrl'] }] }] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginReadTimeout: 60, OriginKeepaliveTimeout: 30 },
    });
  });
});

describe('CloudFront behaviour', () => {
  test('HTTPS only, GET/HEAD/OPTIONS, cached GET/HEAD/OPTIONS, no compression', () => {
    // Prepare: the default stack
    // Act
    const behavior = distributionConfig().DefaultCacheBehavior as Props;
    // Assess
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      CachedMethods: ['GET', 'HEAD', 'OPTIONS'],
      Compress: false,
      CachePolicyId: { Ref: logicalId(synthesized.stack.origin.cdn.cachePolicy) },
      OriginRequestPolicyId: { Ref: logicalId(synthesized.stack.origin.cdn.originRequestPolicy) },
      ResponseHeadersPolicyId: { Ref: logicalId(synthesized.stack.origin.cdn.responseHeadersPolicy) },
    });
    expect(distributionConfig()).toMatchObject({ PriceClass: 'PriceClass_100', HttpVersion: 'http2and3' });
  });

  test('the origin request policy forwards Range, If-Range and the preconditions, never Host or Accept-Encoding', () => {
    // Prepare
    const [policy] = resources('AWS::CloudFront::OriginRequestPolicy');
    const config = (policy?.OriginRequestPolicyConfig ?? {}) as Props;
    const headersConfig = config.HeadersConfig as { HeaderBehavior: string; Headers: string[] };
    // Act
    const forwarded = headersConfig.Headers.map((header) => header.toLowerCase());
    // Assess
    expect(headersConfig.HeaderBehavior).toBe('whitelist');
    expect(forwarded).toEqual(
      expect.arrayContaining([
        'range',
        'if-range',
        'if-match',
        'if-none-match',
        'if-modified-since',
        'if-unmodified-since',
      ]),
    );
    expect(forwarded).not.toContain('host');
    expect(forwarded).not.toContain('accept-encoding');
    expect(config.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: ['download'] });
    expect(config.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  test('the cache key is path + ?download: Range is left to CloudFront, no Accept-Encoding, TTLs as documented', () => {
    // Prepare
    const [policy] = resources('AWS::CloudFront::CachePolicy');
    // Act
    const config = (policy?.CachePolicyConfig ?? {}) as Props;
    // Assess
    expect(config).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 86_400,
      MaxTTL: 31_536_000,
      ParametersInCacheKeyAndForwardedToOrigin: {
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['download'] },
        CookiesConfig: { CookieBehavior: 'none' },
        EnableAcceptEncodingGzip: false,
        EnableAcceptEncodingBrotli: false,
      },
    });
  });

  test('the response headers policy adds no CORS (the function owns CORS)', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { CorsConfig: Match.absent(), SecurityHeadersConfig: Match.objectLike({}) },
    });
  });
});

describe('bucket', () => {
  test('is private, S3-encrypted and retained', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    });
  });

  test('denies every request without TLS', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test("the function's role may only GetObject and ListBucket on this bucket", () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
          },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
        ],
      },
    });
  });
});

describe('function', () => {
  test('Node.js 24 on arm64 with the memory and the timeout the stream budget needs', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 180,
    });
  });

  test('gets the configuration as the environment variables lambda/config.ts reads', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          BUCKET_NAME: { Ref: bucketId },
          KEY_PREFIX: '',
          CORS_ALLOWED_ORIGINS: '',
          OPEN_RANGE_CAP_BYTES: '5242880',
          MAX_RESPONSE_BYTES: '199229440',
          MAX_RANGE_PARTS: '8',
          DEFAULT_CACHE_CONTROL: 'public, max-age=86400',
          PRESIGN_EXPIRES_SECONDS: '300',
          S3_CONNECT_TIMEOUT_MS: '1000',
          S3_FIRST_BYTE_TIMEOUT_MS: '5000',
          S3_IDLE_TIMEOUT_MS: '10000',
          RESUME_ATTEMPTS: '3',
          // Behind CloudFront/OAC by default: plain GETs are not sent to S3.
          PLAIN_GET_REDIRECT: 'off',
          PLAIN_GET_REDIRECT_MIN_BYTES: '1048576',
          PLAIN_GET_REDIRECT_EXPIRES_SECONDS: '21600',
          POWERTOOLS_SERVICE_NAME: 'media-origin',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--max-semi-space-size=1',
          // glibc keeps 64 MiB free at its heap's top (lib/function-environment.ts, docs/performance.md).
          GLIBC_TUNABLES: 'glibc.malloc.top_pad=67108864',
        },
      },
    });
  });

  test('logs to its own log group with a retention', () => {
    // Prepare
    const logGroup = synthesized.stack.origin.function.logGroup;
    // Act
    const template = synthesized.template;
    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logicalId(logGroup) } },
    });
  });

  test('is bundled locally by esbuild as minified ESM with a createRequire banner, the AWS SDK inside', () => {
    // Prepare
    const assembly = synthesized.app.synth();
    const [fn = {}] = resources('AWS::Lambda::Function');
    const hash = String((fn.Code as Props).S3Key).replace(/\.zip$/, '');
    const assetDir = join(assembly.directory, `asset.${hash}`);
    // Act
    const files = readdirSync(assetDir).sort();
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    // Assess
    expect(files).toEqual(['index.mjs', 'index.mjs.map']);
    expect(code.startsWith("import { createRequire as __mediaOriginCreateRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('GetObjectCommand');
    // Unminified esbuild output marks every module with a `// lambda/<file>.ts` comment; minified output has none.
    expect(code).not.toContain('// lambda/');
  });

  test('never imports node:http as ESM (its module facade would load undici at init)', () => {
    // Prepare
    const assembly = synthesized.app.synth();
    const [fn = {}] = resources('AWS::Lambda::Function');
    const hash = String((fn.Code as Props).S3Key).replace(/\.zip$/, '');
    // Act
    const code = readFileSync(join(assembly.directory, `asset.${hash}`, 'index.mjs'), 'utf8');
    // Assess: every http import went through lambda/bundling/node-http.cjs (BUNDLE_ALIASES)
    expect(code).not.toMatch(/from\s*["'](node:)?http["']/);
    expect(code).toContain('process.getBuiltinModule("node:http")');
    expect(code).toContain('keepAlive'); // the S3 client's agents are still built from it
  });
  test('carries only the environment credential provider (Lambda supplies credentials in environment variables)', () => {
    // Prepare
    const assembly = synthesized.app.synth();
    const [fn = {}] = resources('AWS::Lambda::Function');
    const hash = String((fn.Code as Props).S3Key).replace(/\.zip$/, '');
    // Act
    const code = readFileSync(join(assembly.directory, `asset.${hash}`, 'index.mjs'), 'utf8');
    // Assess: the environment provider is in; web identity, SSO and credential_process providers are not
    expect(code).toContain('AWS_SESSION_TOKEN');
    expect(code).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    expect(code).not.toContain('sso_start_url');
    expect(code).not.toContain('credential_process');
  });
});

describe('outputs', () => {
  test('FunctionUrl, DistributionDomainName and BucketName name the deployed resources', () => {
    // Prepare: the default stack
    // Act
    const template = synthesized.template;
    // Assess
    template.hasOutput('FunctionUrl', { Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] } });
    template.hasOutput('DistributionDomainName', { Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] } });
    template.hasOutput('BucketName', { Value: { Ref: bucketId } });
  });
});
