import { parseUploadArgs, type UploadOptions, UsageError } from '../../../bin/upload/args.ts';

function usageError(argv: readonly string[], env: Record<string, string> = {}): UsageError {
  try {
    parseUploadArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseUploadArgs', () => {
  test('explicit options win over the environment', () => {
    // Prepare
    const argv = [
      '--bucket',
      'media-bucket',
      '--prefix',
      'media/',
      '--endpoint',
      'http://127.0.0.1:4566',
      'a.mp4',
      'hls',
    ];
    const env = { BUCKET: 'other', S3_ENDPOINT: 'http://elsewhere:1', AWS_REGION: 'eu-west-1' };
    // Act
    const options = parseUploadArgs(argv, env);
    // Assess
    expect(options).toEqual<UploadOptions>({
      bucket: 'media-bucket',
      prefix: 'media/',
      endpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-1',
      partSizeBytes: 8 * 1024 * 1024,
      concurrency: 4,
      dryRun: false,
      paths: ['a.mp4', 'hls'],
    });
  });

  test('BUCKET and S3_ENDPOINT from the environment (the local stack’s names)', () => {
    // Prepare
    const env = { BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:4566' };
    // Act
    const options = parseUploadArgs(['media/'], env);
    // Assess
    expect(options).toMatchObject({ bucket: 'media', endpoint: 'http://127.0.0.1:4566', prefix: '' });
  });

  test('tuning and dry run', () => {
    // Prepare
    const argv = [
      '-b',
      'media',
      '--part-size-mib',
      '16',
      '--concurrency',
      '8',
      '--cache-control',
      'no-cache',
      '--dry-run',
      'x',
    ];
    // Act
    const options = parseUploadArgs(argv, {});
    // Assess
    expect(options).toMatchObject({
      partSizeBytes: 16 * 1024 * 1024,
      concurrency: 8,
      cacheControl: 'no-cache',
      dryRun: true,
    });
  });

  test('--help', () => {
    // Prepare
    const argv = ['--help'];
    // Act
    const options = parseUploadArgs(argv, {});
    // Assess
    expect(options).toBe('help');
  });

  test.each<[string, string[], Record<string, string>, string]>([
    ['no bucket anywhere', ['a.mp4'], {}, '--bucket is required'],
    ['an invalid bucket', ['--bucket', 'Media_Bucket', 'a.mp4'], {}, '--bucket must be an S3 bucket name'],
    ['a prefix without trailing slash', ['-b', 'media', '--prefix', 'media', 'a.mp4'], {}, '--prefix must be'],
    ['a prefix with a leading slash', ['-b', 'media', '--prefix', '/media/', 'a.mp4'], {}, '--prefix must be'],
    ['a prefix with ..', ['-b', 'media', '--prefix', 'a/../', 'a.mp4'], {}, '--prefix must be'],
    [
      'a part size below S3’s 5 MiB minimum',
      ['-b', 'media', '--part-size-mib', '4', 'a.mp4'],
      {},
      '--part-size-mib must be an integer from 5',
    ],
    [
      'a non-numeric concurrency',
      ['-b', 'media', '--concurrency', 'many', 'a.mp4'],
      {},
      '--concurrency must be an integer',
    ],
    [
      'a non-URL endpoint',
      ['-b', 'media', '--endpoint', 'localhost:4566', 'a.mp4'],
      {},
      '--endpoint must be an http(s) URL',
    ],
    [
      'a Cache-Control with a newline',
      ['-b', 'media', '--cache-control', 'a\nb', 'a.mp4'],
      {},
      '--cache-control must be',
    ],
    ['a typo in an option', ['-b', 'media', '--cache-contol', 'x', 'a.mp4'], {}, "Unknown option '--cache-contol'"],
    ['nothing to upload', ['-b', 'media'], {}, 'at least one file or directory'],
  ])('rejects %s', (_name, argv, env, message) => {
    // Prepare: the arguments above
    // Act
    const error = usageError(argv, env);
    // Assess
    expect(error.message).toContain(message);
  });
});
