/**
 * Starts the real local stack (embedded S3-compatible server + local Function URL running lambda/handler.ts)
 * on ephemeral loopback ports, seeded with everything under media/. Every e2e suite talks to the origin
 * through this, over real sockets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from '@jest/globals';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../local/stack.ts';
import { testRuntime } from '../../support/local/runtime-mode.ts';
import { mediaDir } from './paths.ts';

export type { LocalStack };

export function startE2eStack(
  options: Omit<LocalStackOptions, 'port' | 'host' | 'mediaDir'> = {},
): Promise<LocalStack> {
  // One INFO line per request from every suite drowns jest's output; POWERTOOLS_LOG_LEVEL=INFO brings it back.
  // Plain GETs go to S3, as from a public Function URL; a suite about streamed answers turns it off.
  const functionEnv = {
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    PLAIN_GET_REDIRECT: 'presigned-s3',
    ...options.functionEnv,
  };
  return startLocalStack({
    runtime: testRuntime(),
    ...options,
    host: '127.0.0.1',
    port: 0,
    demoPort: 0,
    mediaDir,
    functionEnv,
  });
}

/**
 * Starts one stack for the enclosing describe block (or the whole file) before its tests and closes it after them;
 * tests read it through the returned function.
 */
export function e2eStackForSuite(
  options: Omit<LocalStackOptions, 'port' | 'host' | 'mediaDir'> = {},
): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startE2eStack(options);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (stack === undefined) throw new Error('the e2e stack is not running: its beforeAll failed or has not run');
    return stack;
  };
}

/** Absolute URL of an object key on the origin (keys are paths relative to media/, e.g. "hls/ts/index.m3u8"). */
export function objectUrl(stack: LocalStack, key: string): string {
  return new URL(key.split('/').map(encodeURIComponent).join('/'), stack.url).href;
}

/** Stores `body` under `key` straight in the stack's bucket (not through the origin). */
export async function putObject(stack: LocalStack, key: string, body: Buffer, contentType: string): Promise<void> {
  await stack.s3.client.send(
    new PutObjectCommand({ Bucket: stack.s3.bucket, Key: key, Body: body, ContentType: contentType }),
  );
}

/** A scratch directory for the suite's downloaded files, made before its tests and removed after them. */
export function workDirForSuite(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('the work directory is not made: its beforeAll failed or has not run');
    return dir;
  };
}
