/**
 * `npm run upload -- [options] <files or dirs...>`: command line -> validated options. Pure (argv and env in,
 * options out) so it is unit-tested; unknown options fail (node:util parseArgs strict mode), so a typo such as
 * `--cache-contol` never uploads with the default.
 */
import { parseArgs } from 'node:util';
import { nonEmpty, UsageError, usageOf } from '../usage-error.ts';

export { UsageError };

export const UPLOAD_USAGE = `usage: npm run upload -- [options] <file or directory>...

Uploads media into the stack's bucket (or any S3-compatible store) with multipart upload, the Content-Type
for each extension and a Cache-Control (media long, HLS/DASH playlists short).
A file becomes <prefix><file name>; a directory's files become <prefix><path relative to the directory>.

options:
  -b, --bucket <name>        bucket (default: env BUCKET; the stack output BucketName)
  -p, --prefix <prefix>      key prefix, "" or ending with "/" (default ""; use the stack's keyPrefix)
      --endpoint <url>       S3-compatible endpoint, path-style (default: env S3_ENDPOINT; unset = AWS S3)
      --region <region>      (default: env AWS_REGION, else us-east-1 with --endpoint, else the AWS profile's)
      --cache-control <v>    Cache-Control for every file (default: by extension, see docs/operations.md)
      --part-size-mib <n>    multipart part size, 5-5120 (default 8)
      --concurrency <n>      parts uploaded in parallel per file, 1-32 (default 4)
      --dry-run              print what would be uploaded, upload nothing
  -h, --help`;

export interface UploadOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly cacheControl?: string;
  readonly partSizeBytes: number;
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly paths: readonly string[];
}

const MIB = 1024 * 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Returns the options, or 'help' when -h/--help was given. Throws UsageError naming the bad option. */
export function parseUploadArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): UploadOptions | 'help' {
  const { values, positionals } = usageOf(() => parse(argv));
  if (values.help === true) return 'help';

  const bucket = nonEmpty(values.bucket) ?? nonEmpty(env.BUCKET);
  if (bucket === undefined)
    throw new UsageError('--bucket is required (or set BUCKET); see the stack output BucketName');
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new UsageError(`--bucket must be an S3 bucket name (3-63 of a-z 0-9 . -), got "${bucket}"`);
  }
  const prefix = values.prefix ?? '';
  if (
    prefix !== '' &&
    (!prefix.endsWith('/') || prefix.startsWith('/') || prefix.split('/').slice(0, -1).some(badSegment))
  ) {
    throw new UsageError(
      `--prefix must be "" or like "media/" (ends with "/", no leading "/", no empty, . or .. segments), got "${prefix}"`,
    );
  }
  const endpoint = nonEmpty(values.endpoint) ?? nonEmpty(env.S3_ENDPOINT);
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new UsageError(`--endpoint must be an http(s) URL, got "${endpoint}"`);
  }
  const region = nonEmpty(values.region) ?? nonEmpty(env.AWS_REGION);
  const cacheControl = values['cache-control'];
  if (cacheControl !== undefined && !/^[\x21-\x7e][\x20-\x7e]*$/.test(cacheControl)) {
    throw new UsageError(`--cache-control must be a header value (visible ASCII), got ${JSON.stringify(cacheControl)}`);
  }
  if (positionals.length === 0) throw new UsageError('give at least one file or directory to upload');
  return {
    bucket,
    prefix,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(cacheControl === undefined ? {} : { cacheControl }),
    // S3 multipart: parts are 5 MiB to 5 GiB (except the last).
    partSizeBytes: integer('--part-size-mib', values['part-size-mib'], 8, 5, 5120) * MIB,
    concurrency: integer('--concurrency', values.concurrency, 4, 1, 32),
    dryRun: values['dry-run'] === true,
    paths: positionals,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      bucket: { type: 'string', short: 'b' },
      prefix: { type: 'string', short: 'p' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'cache-control': { type: 'string' },
      'part-size-mib': { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function badSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..';
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
