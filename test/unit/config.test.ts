import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ConfigError, DEFAULTS, loadConfig } from '../../lambda/config.ts';

const base = { BUCKET_NAME: 'media-bucket' };

describe('loadConfig defaults', () => {
  test('only BUCKET_NAME set: every other value is the documented default', () => {
    // Act
    const config = loadConfig(base);

    // Assess
    expect(config).toEqual({
      bucketName: 'media-bucket',
      keyPrefix: '',
      cors: undefined,
      openRangeCapBytes: 5_242_880,
      maxResponseBytes: 199_229_440,
      maxRangeParts: 8,
      defaultCacheControl: 'public, max-age=86400',
      presignExpiresSeconds: 300,
      s3Endpoint: undefined,
      s3ConnectTimeoutMs: 1000,
      s3FirstByteTimeoutMs: 5000,
      s3IdleTimeoutMs: 10_000,
      resumeAttempts: 3,
      plainGetRedirect: 'off',
      plainGetRedirectMinBytes: 1_048_576,
      plainGetRedirectExpiresSeconds: 21_600,
      region: undefined,
    });
    expect(DEFAULTS.openRangeCapBytes).toBe(5 * 1024 * 1024);
    expect(DEFAULTS.maxResponseBytes).toBe(190 * 1024 * 1024);
  });

  test('empty strings count as unset (CDK and shells pass "" for "no value")', () => {
    // Act
    const config = loadConfig({ ...base, OPEN_RANGE_CAP_BYTES: '', CORS_ALLOWED_ORIGINS: '', KEY_PREFIX: '' });

    // Assess
    expect(config.openRangeCapBytes).toBe(DEFAULTS.openRangeCapBytes);
    expect(config.cors).toBeUndefined();
    expect(config.keyPrefix).toBe('');
  });

  test('reads only the object it is given, never process.env', () => {
    // Prepare
    const saved = process.env.OPEN_RANGE_CAP_BYTES;
    process.env.OPEN_RANGE_CAP_BYTES = 'garbage';

    // Act
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(base);
    } finally {
      if (saved === undefined) delete process.env.OPEN_RANGE_CAP_BYTES;
      else process.env.OPEN_RANGE_CAP_BYTES = saved;
    }

    // Assess
    expect(config.openRangeCapBytes).toBe(DEFAULTS.openRangeCapBytes);
  });
});

describe('loadConfig parses every variable', () => {
  test('all set', () => {
    // Act
    const config = loadConfig({
      BUCKET_NAME: 'my.media-bucket-1',
      KEY_PREFIX: 'public/media/',
      CORS_ALLOWED_ORIGINS: 'https://player.example, http://localhost:3001',
      OPEN_RANGE_CAP_BYTES: '1048576',
      MAX_RESPONSE_BYTES: '104857600',
      MAX_RANGE_PARTS: '4',
      DEFAULT_CACHE_CONTROL: ' public, max-age=60 ',
      PRESIGN_EXPIRES_SECONDS: '600',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_CONNECT_TIMEOUT_MS: '200',
      S3_FIRST_BYTE_TIMEOUT_MS: '3000',
      S3_IDLE_TIMEOUT_MS: '4000',
      RESUME_ATTEMPTS: '0',
      PLAIN_GET_REDIRECT: 'presigned-s3',
      PLAIN_GET_REDIRECT_MIN_BYTES: '65536',
      PLAIN_GET_REDIRECT_EXPIRES_SECONDS: '3600',
      AWS_REGION: 'eu-west-1',
    });

    // Assess
    expect(config).toEqual({
      bucketName: 'my.media-bucket-1',
      keyPrefix: 'public/media/',
      cors: { allowedOrigins: ['https://player.example', 'http://localhost:3001'] },
      openRangeCapBytes: 1_048_576,
      maxResponseBytes: 104_857_600,
      maxRangeParts: 4,
      defaultCacheControl: 'public, max-age=60',
      presignExpiresSeconds: 600,
      s3Endpoint: 'http://127.0.0.1:9000',
      s3ConnectTimeoutMs: 200,
      s3FirstByteTimeoutMs: 3000,
      s3IdleTimeoutMs: 4000,
      resumeAttempts: 0,
      plainGetRedirect: 'presigned-s3',
      plainGetRedirectMinBytes: 65_536,
      plainGetRedirectExpiresSeconds: 3600,
      region: 'eu-west-1',
    });
  });

  test('CORS "*" allows any origin', () => {
    // Act / Assess
    expect(loadConfig({ ...base, CORS_ALLOWED_ORIGINS: '*' }).cors).toEqual({ allowedOrigins: '*' });
  });
});

describe('loadConfig refuses bad values with a message naming the variable and the value', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, string>, string]> = [
    ['missing bucket', {}, 'BUCKET_NAME is required'],
    [
      'bucket with upper case and underscore',
      { BUCKET_NAME: 'My_Bucket' },
      'BUCKET_NAME must be an S3 bucket name, got "My_Bucket"',
    ],
    [
      'unknown plain GET mode',
      { ...base, PLAIN_GET_REDIRECT: 'on' },
      'PLAIN_GET_REDIRECT must be one of presigned-s3, off, got "on"',
    ],
    [
      'plain GET threshold above the budget',
      { ...base, MAX_RESPONSE_BYTES: '1000', OPEN_RANGE_CAP_BYTES: '1000', PLAIN_GET_REDIRECT_MIN_BYTES: '1001' },
      'PLAIN_GET_REDIRECT_MIN_BYTES must be at most 1000, got "1001"',
    ],
    [
      "plain GET lifetime above SigV4's 7 days",
      { ...base, PLAIN_GET_REDIRECT_EXPIRES_SECONDS: '604801' },
      'PLAIN_GET_REDIRECT_EXPIRES_SECONDS must be at most 604800, got "604801"',
    ],
    [
      'cap with a unit',
      { ...base, OPEN_RANGE_CAP_BYTES: '5MB' },
      'OPEN_RANGE_CAP_BYTES must be a positive integer, got "5MB"',
    ],
    ['cap zero', { ...base, OPEN_RANGE_CAP_BYTES: '0' }, 'OPEN_RANGE_CAP_BYTES must be a positive integer, got "0"'],
    [
      'cap negative',
      { ...base, OPEN_RANGE_CAP_BYTES: '-1' },
      'OPEN_RANGE_CAP_BYTES must be a positive integer, got "-1"',
    ],
    [
      'cap fractional',
      { ...base, OPEN_RANGE_CAP_BYTES: '1.5' },
      'OPEN_RANGE_CAP_BYTES must be a positive integer, got "1.5"',
    ],
    ['cap in exponent form', { ...base, OPEN_RANGE_CAP_BYTES: '1e6' }, 'got "1e6"'],
    ['cap with spaces', { ...base, OPEN_RANGE_CAP_BYTES: ' 5' }, 'got " 5"'],
    [
      'budget above the Lambda streamed payload limit',
      { ...base, MAX_RESPONSE_BYTES: '209715200' },
      'MAX_RESPONSE_BYTES must be at most 200000000, got "209715200"',
    ],
    [
      'cap above the budget',
      { ...base, OPEN_RANGE_CAP_BYTES: '2000', MAX_RESPONSE_BYTES: '1000' },
      'OPEN_RANGE_CAP_BYTES (2000) must not exceed MAX_RESPONSE_BYTES (1000)',
    ],
    ['parts zero', { ...base, MAX_RANGE_PARTS: '0' }, 'MAX_RANGE_PARTS must be a positive integer, got "0"'],
    [
      'presign beyond SigV4 7 days',
      { ...base, PRESIGN_EXPIRES_SECONDS: '604801' },
      'PRESIGN_EXPIRES_SECONDS must be at most 604800, got "604801"',
    ],
    [
      'resume attempts not a number',
      { ...base, RESUME_ATTEMPTS: 'three' },
      'RESUME_ATTEMPTS must be a non-negative integer, got "three"',
    ],
    [
      'idle timeout with unit',
      { ...base, S3_IDLE_TIMEOUT_MS: '10s' },
      'S3_IDLE_TIMEOUT_MS must be a positive integer, got "10s"',
    ],
    [
      'first-byte timeout zero',
      { ...base, S3_FIRST_BYTE_TIMEOUT_MS: '0' },
      'S3_FIRST_BYTE_TIMEOUT_MS must be a positive integer, got "0"',
    ],
    [
      'connect timeout negative',
      { ...base, S3_CONNECT_TIMEOUT_MS: '-5' },
      'S3_CONNECT_TIMEOUT_MS must be a positive integer, got "-5"',
    ],
    [
      'origin without scheme',
      { ...base, CORS_ALLOWED_ORIGINS: 'player.example' },
      'CORS_ALLOWED_ORIGINS must be "*" or comma-separated origins like "https://example.com", got "player.example"',
    ],
    [
      'origin with a trailing slash',
      { ...base, CORS_ALLOWED_ORIGINS: 'https://player.example/' },
      'got "https://player.example/"',
    ],
    [
      'origin with a path',
      { ...base, CORS_ALLOWED_ORIGINS: 'https://a.example,https://b.example/x' },
      'got "https://b.example/x"',
    ],
    [
      'star mixed with origins',
      { ...base, CORS_ALLOWED_ORIGINS: '*,https://a.example' },
      'CORS_ALLOWED_ORIGINS must be "*" alone or a list of origins',
    ],
    ['empty origin in the list', { ...base, CORS_ALLOWED_ORIGINS: 'https://a.example,' }, 'got "" in'],
    [
      'prefix without trailing slash',
      { ...base, KEY_PREFIX: 'media' },
      'KEY_PREFIX must be empty or a relative key prefix ending with "/" (e.g. "media/"), got "media"',
    ],
    ['absolute prefix', { ...base, KEY_PREFIX: '/media/' }, 'got "/media/"'],
    ['prefix with a dot-dot segment', { ...base, KEY_PREFIX: 'a/../b/' }, 'got "a/../b/"'],
    ['prefix with an empty segment', { ...base, KEY_PREFIX: 'a//' }, 'got "a//"'],
    [
      'endpoint without scheme',
      { ...base, S3_ENDPOINT: 'localhost:9000' },
      'S3_ENDPOINT must be an http(s) URL, got "localhost:9000"',
    ],
    [
      'cache control with a newline',
      { ...base, DEFAULT_CACHE_CONTROL: 'public\r\nx-evil: 1' },
      'DEFAULT_CACHE_CONTROL must be a header value without control characters',
    ],
    ['region with spaces', { ...base, AWS_REGION: 'eu west 1' }, 'AWS_REGION must be a region name, got "eu west 1"'],
  ];

  test.each(cases)('%s', (_name, env, message) => {
    // Act
    const act = () => loadConfig(env);

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });
});

describe('principle 4: configuration is read in one place', () => {
  test('no module under lambda/ reads process.env except config.ts and the handler passing it in', () => {
    // Prepare
    const root = join(import.meta.dirname, '../../lambda');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

    // Act
    const readers = files.filter((file) => readFileSync(join(root, file), 'utf8').includes('process.env'));

    // Assess
    expect(readers.map((file) => relative(root, join(root, file))).sort()).toEqual(['config.ts', 'handler.ts']);
    expect(readFileSync(join(root, 'handler.ts'), 'utf8')).toMatch(/loadConfig\(process\.env\)/);
  });
});
