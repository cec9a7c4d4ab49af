/**
 * `npm run upload` end to end against the embedded S3-compatible server (local/s3/server.ts, loopback,
 * ephemeral port): multipart for a file larger than one part, metadata by extension, bytes intact.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3Server, startS3Server } from '../../local/s3/server.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const MIB = 1024 * 1024;

let server: S3Server;
let client: S3Client;
let dir: string;

beforeAll(async () => {
  server = await startS3Server({ host: '127.0.0.1', port: 0 });
  client = new S3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateBucketCommand({ Bucket: 'media' }));
  dir = mkdtempSync(join(tmpdir(), 'upload-cli-'));
});

afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/node'), ['bin/upload.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: dir, S3_ENDPOINT: server.endpoint, BUCKET: 'media' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

test('uploads a directory: multipart for a large file, Content-Type and Cache-Control by extension', async () => {
  // Prepare: 11 MiB with 5 MiB parts = 3 parts
  const movie = randomBytes(11 * MIB);
  mkdirSync(join(dir, 'show/hls'), { recursive: true });
  writeFileSync(join(dir, 'show/movie.mp4'), movie);
  writeFileSync(join(dir, 'show/hls/index.m3u8'), '#EXTM3U\n');
  // Act
  const result = await upload(['--prefix', 'media/', '--part-size-mib', '5', join(dir, 'show')]);
  // Assess
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('uploaded 2 of 2 file(s)');
  const head = await client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'media/movie.mp4' }));
  expect(head).toMatchObject({
    ContentLength: movie.length,
    ContentType: 'video/mp4',
    CacheControl: 'public, max-age=2592000',
  });
  expect(head.ETag).toMatch(/-3"$/);
  const body = await client.send(new GetObjectCommand({ Bucket: 'media', Key: 'media/movie.mp4' }));
  expect(Buffer.from((await body.Body?.transformToByteArray()) ?? []).equals(movie)).toBe(true);
  const playlist = await client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'media/hls/index.m3u8' }));
  expect(playlist).toMatchObject({ ContentType: 'application/vnd.apple.mpegurl', CacheControl: 'public, max-age=5' });
  expect(result.stderr).toMatch(/\[#+\] 100% .*media\/movie\.mp4/);
}, 60_000);

test('--dry-run uploads nothing', async () => {
  // Prepare
  writeFileSync(join(dir, 'dry.webm'), 'x');
  // Act
  const result = await upload(['--dry-run', join(dir, 'dry.webm')]);
  // Assess
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('-> dry.webm  1 B  video/webm; public, max-age=2592000');
  await expect(client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'dry.webm' }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 404 },
  });
});

test('a missing bucket fails with exit code 1 and names the file', async () => {
  // Prepare
  writeFileSync(join(dir, 'lost.mp3'), 'x');
  // Act
  const result = await upload(['--bucket', 'no-such-bucket', join(dir, 'lost.mp3')]);
  // Assess
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('FAILED');
  expect(result.stderr).toContain('lost.mp3');
  expect(result.stdout).toContain('uploaded 0 of 1 file(s)');
}, 30_000);

test('bad usage exits 2 with the usage text', async () => {
  // Prepare: a misspelt option
  const argv = ['--cache-contol', 'x', 'a.mp4'];
  // Act
  const result = await upload(argv);
  // Assess
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("Unknown option '--cache-contol'");
  expect(result.stderr).toContain('usage: npm run upload');
});
