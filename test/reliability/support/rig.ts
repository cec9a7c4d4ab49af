/**
 * The reliability rig: embedded S3 -> fault proxy -> local stack (the real handler behind the local Function
 * URL), all on loopback with ephemeral ports. Objects are written straight to the store (not through the
 * proxy, so writes never consume a fault rule), and every version written is remembered by ETag for the
 * invariant checker.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Server } from '../../../local/s3/server.ts';
import type { LocalStack } from '../../../local/stack.ts';
import type { FaultProxy } from '../../support/fault-proxy.ts';
import { type ProxiedStore, startProxiedFunction, startProxiedStore } from '../../support/proxied-store.ts';
import { checkResponse, type ObservedResponse, type Verdict } from './invariant.ts';

export const BUCKET = 'reliability';

/** Short S3 timeouts so stalls resolve in well under a second per attempt; tests override per file. */
export const FAST_TIMEOUTS: Readonly<Record<string, string>> = {
  S3_CONNECT_TIMEOUT_MS: '1000',
  S3_FIRST_BYTE_TIMEOUT_MS: '500',
  S3_IDLE_TIMEOUT_MS: '1000',
  RESUME_ATTEMPTS: '3',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
};

export interface Rig {
  readonly s3: S3Server;
  readonly proxy: FaultProxy;
  readonly stack: LocalStack;
  /** Talks to the store directly, bypassing the proxy. */
  readonly client: S3Client;
  /** Writes a version of `key`; returns its ETag. */
  put(key: string, body: Buffer, contentType?: string): Promise<string>;
  /** Every version `key` has had, by ETag. */
  versions(key: string): ReadonlyMap<string, Buffer>;
  /** Function URL for a raw path (sent as written: encode it yourself when it needs encoding). */
  url(path: string): string;
  /** The invariant for a response to a request for `key`. */
  check(key: string, response: ObservedResponse): Verdict;
  close(): Promise<void>;
}

/** Deterministic pseudo-random bytes (LCG): any shift, repeat or splice of two versions shows in a compare. */
export function objectBytes(size: number, seed: number): Buffer {
  const buf = Buffer.alloc(size);
  let state = seed >>> 0;
  for (let i = 0; i + 4 <= size; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    buf.writeUInt32LE(state, i);
  }
  for (let i = size - (size % 4); i < size; i += 1) buf[i] = (seed + i) & 0xff;
  return buf;
}

export { type ProxiedStore, startProxiedStore };

export async function startRig(functionEnv: Readonly<Record<string, string>> = {}): Promise<Rig> {
  const { s3, proxy, client } = await startProxiedStore(BUCKET);
  const stack = await startProxiedFunction(proxy, BUCKET, { functionEnv: { ...FAST_TIMEOUTS, ...functionEnv } });
  const history = new Map<string, Map<string, Buffer>>();

  return {
    s3,
    proxy,
    stack,
    client,
    async put(key: string, body: Buffer, contentType = 'application/octet-stream'): Promise<string> {
      const { ETag } = await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType }),
      );
      if (ETag === undefined) throw new Error(`PutObject ${key}: no ETag`);
      const versions = history.get(key) ?? new Map<string, Buffer>();
      versions.set(ETag, body);
      history.set(key, versions);
      return ETag;
    },
    versions(key: string): ReadonlyMap<string, Buffer> {
      return history.get(key) ?? new Map();
    },
    url(path: string): string {
      // Concatenated, not resolved: hostile paths must reach the server as written.
      return `${stack.url}${path.replace(/^\//, '')}`;
    },
    check(key: string, response: ObservedResponse): Verdict {
      return checkResponse(response, history.get(key) ?? new Map());
    },
    async close(): Promise<void> {
      // One line per suite with what the store saw, for docs/testing.md's figures.
      const stats = proxy.stats();
      process.stdout.write(
        `reliability rig: ${stats.requests} S3 requests, faults fired ${JSON.stringify(stats.fired)}, ` +
          `S3 connections opened ${stats.opened} / closed ${stats.closed}\n`,
      );
      await stack.close();
      await proxy.close();
      await s3.close();
      client.destroy();
    },
  };
}
