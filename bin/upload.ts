/**
 * `npm run upload -- [options] <files or dirs>`: puts media into the stack's bucket (or the local embedded S3)
 * with @aws-sdk/lib-storage's Upload (multipart for anything above one part, parts in parallel), the
 * Content-Type for each extension (the same table the function uses) and a Cache-Control by kind.
 * See bin/upload/args.ts for the options; exit code 0 = everything uploaded, 1 = something failed, 2 = usage.
 */
import { createReadStream } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { parseUploadArgs, UPLOAD_USAGE, type UploadOptions, UsageError } from './upload/args.ts';
import { planUploads, type UploadItem } from './upload/plan.ts';
import { formatBytes, ProgressBar } from './upload/progress.ts';

/** fauxqs (the local embedded S3) accepts any credentials; the AWS SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function createClient(options: UploadOptions): S3Client {
  if (options.endpoint === undefined) {
    // Real S3: the default credential chain (AWS_PROFILE, SSO, env) and the profile's region.
    return new S3Client(options.region === undefined ? {} : { region: options.region });
  }
  const hasEnvCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;
  return new S3Client({
    endpoint: options.endpoint,
    forcePathStyle: true,
    region: options.region ?? 'us-east-1',
    ...(hasEnvCredentials ? {} : { credentials: LOCAL_CREDENTIALS }),
  });
}

async function uploadOne(
  client: S3Client,
  options: UploadOptions,
  item: UploadItem,
  signal: AbortSignal,
): Promise<void> {
  const bar = new ProgressBar(process.stderr, item.key, item.size);
  const upload = new Upload({
    client,
    params: {
      Bucket: options.bucket,
      Key: item.key,
      Body: createReadStream(item.file),
      ContentType: item.contentType,
      CacheControl: item.cacheControl,
    },
    partSize: options.partSizeBytes,
    queueSize: options.concurrency,
    // A failed multipart upload is aborted, so no orphaned parts are billed (the bucket also expires them).
    leavePartsOnError: false,
  });
  const abort = (): void => {
    void upload.abort();
  };
  signal.addEventListener('abort', abort, { once: true });
  upload.on('httpUploadProgress', (progress) => bar.update(progress.loaded ?? 0));
  try {
    await upload.done();
  } finally {
    signal.removeEventListener('abort', abort);
  }
  bar.finish(`${item.contentType}; ${item.cacheControl}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseUploadArgs(argv, process.env);
  if (options === 'help') {
    process.stdout.write(`${UPLOAD_USAGE}\n`);
    return 0;
  }
  const items = await planUploads(options.paths, {
    prefix: options.prefix,
    ...(options.cacheControl === undefined ? {} : { cacheControl: options.cacheControl }),
  });
  const target = `s3://${options.bucket}/${options.prefix}${options.endpoint === undefined ? '' : ` at ${options.endpoint}`}`;
  const total = items.reduce((sum, item) => sum + item.size, 0);
  if (options.dryRun) {
    for (const item of items) {
      process.stdout.write(
        `${item.file} -> ${item.key}  ${formatBytes(item.size)}  ${item.contentType}; ${item.cacheControl}\n`,
      );
    }
    process.stdout.write(`dry run: ${items.length} file(s), ${formatBytes(total)} would go to ${target}\n`);
    return 0;
  }

  const client = createClient(options);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let failed = 0;
  try {
    for (const item of items) {
      if (controller.signal.aborted) break;
      try {
        await uploadOne(client, options, item, controller.signal);
      } catch (error) {
        failed++;
        process.stderr.write(
          `\nFAILED ${item.file} -> ${item.key}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  } finally {
    client.destroy();
  }
  const done = items.length - failed;
  process.stdout.write(`uploaded ${done} of ${items.length} file(s), ${formatBytes(total)} to ${target}\n`);
  return failed === 0 && !controller.signal.aborted ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`upload: ${error.message}\n\n${UPLOAD_USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`upload: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
