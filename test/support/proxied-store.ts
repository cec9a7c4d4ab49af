/**
 * The embedded S3-compatible server behind the fault proxy, and the local function reading through that proxy:
 * what the reliability and function-lifecycle suites stand on to break storage on purpose.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type S3Server, startS3Server } from '../../local/s3/server.ts';
import { ensureBucket } from '../../local/seed.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { testRuntime } from './local/runtime-mode.ts';

/** The embedded S3 with a bucket, the fault proxy in front of it, and a client that talks to the store directly. */
export interface ProxiedStore {
  readonly s3: S3Server;
  readonly proxy: FaultProxy;
  readonly client: S3Client;
}

export async function startProxiedStore(bucket: string): Promise<ProxiedStore> {
  const s3 = await startS3Server();
  const proxy = await startFaultProxy({ target: s3.endpoint });
  const client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await ensureBucket(client, bucket);
  return { s3, proxy, client };
}

/** The local function (this run's runtime, an ephemeral port) reading `bucket` through `proxy`. */
export function startProxiedFunction(
  proxy: FaultProxy,
  bucket: string,
  options: Pick<LocalStackOptions, 'functionEnv' | 'log' | 'timeoutMs'>,
): Promise<LocalStack> {
  return startLocalStack({ ...options, port: 0, s3Endpoint: proxy.url, bucket, runtime: testRuntime() });
}
