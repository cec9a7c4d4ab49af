/**
 * The client's bounds, checked against a loopback HTTP server standing in for a misbehaving S3 endpoint
 * (connection handling only; S3 semantics are mocked with aws-sdk-client-mock elsewhere): a first byte that
 * never comes is a 504, a body that goes silent errors instead of hanging, sockets are reused and bounded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { GatewayTimeoutError } from '../../../lambda/errors.ts';
import {
  createS3Client,
  FIXED_SDK_SETTINGS,
  type S3ClientConfig,
  UNNEEDED_MIDDLEWARE,
} from '../../../lambda/storage/create-s3-client.ts';
import { readObject } from '../../../lambda/storage/read-object.ts';
import { collect } from '../../support/collect-stream.ts';

let server: Server | undefined;
const sockets = new Set<Socket>();

beforeAll(() => {
  // The SDK's default credential chain reads these (the function itself never reads process.env).
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

function client(endpoint: string, overrides: Partial<S3ClientConfig> = {}, maxSockets?: number) {
  const config = {
    s3Endpoint: endpoint,
    s3ConnectTimeoutMs: 1000,
    s3FirstByteTimeoutMs: 5000,
    s3IdleTimeoutMs: 10_000,
    region: 'us-east-1',
    ...overrides,
  };
  return maxSockets === undefined ? createS3Client(config) : createS3Client(config, maxSockets);
}

const location = { bucket: 'media', key: 'clip.mp4' };

describe('createS3Client', () => {
  test('an S3-compatible endpoint is addressed path-style (/bucket/key)', async () => {
    // Prepare
    const paths: string[] = [];
    const endpoint = await listen((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(200, { 'content-length': '2', etag: '"e"' }).end('ok');
    });

    // Act
    const result = await readObject(client(endpoint), location, { op: 'get' }, 'req');
    const body = await collect(result.body ?? (await Promise.reject(new Error('no body'))));

    // Assess
    expect(paths[0]).toMatch(/^\/media\/clip\.mp4(\?|$)/);
    expect(body.data.toString()).toBe('ok');
  });

  test('requests are still signed, without the per-request middleware the read path does not need', async () => {
    // Prepare
    const seen: IncomingMessage['headers'][] = [];
    const endpoint = await listen((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-length': '2', etag: '"e"' }).end('ok');
    });
    const s3 = client(endpoint);

    // Act
    const result = await readObject(s3, location, { op: 'get', range: 'bytes=0-1' }, 'req');
    await collect(result.body ?? (await Promise.reject(new Error('no body'))));

    // Assess
    const names = s3.middlewareStack.identify().join('\n');
    for (const name of UNNEEDED_MIDDLEWARE) expect(names).not.toContain(name);
    expect(names).toContain('httpSigningMiddleware');
    expect(names).toContain('retryMiddleware');
    expect(seen[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST\//);
    expect(seen[0]?.range).toBe('bytes=0-1');
    expect(seen[0]?.['x-amz-user-agent']).toBeUndefined();
  });

  test('resolves the middleware chain of a command once, then reuses it for every request', async () => {
    // Prepare
    const seen: IncomingMessage['headers'][] = [];
    const endpoint = await listen((request, response) => {
      seen.push(request.headers);
      response.writeHead(206, { 'content-length': '2', 'content-range': 'bytes 0-1/9', etag: '"e"' }).end('ok');
    });
    const s3 = client(endpoint);
    const resolve = jest.spyOn(GetObjectCommand.prototype, 'resolveMiddleware');

    // Act
    for (const range of ['bytes=0-1', 'bytes=2-3', 'bytes=4-5']) {
      const result = await readObject(s3, location, { op: 'get', range }, 'req');
      await collect(result.body ?? (await Promise.reject(new Error('no body'))));
    }

    // Assess: one resolution, and every request still went out whole and signed with its own Range
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(seen.map((headers) => headers.range)).toEqual(['bytes=0-1', 'bytes=2-3', 'bytes=4-5']);
    for (const headers of seen) expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    resolve.mockRestore();
  });

  test('response headers that never come: TimeoutError -> 504 (first-byte timeout)', async () => {
    // Prepare: accept the request, never answer.
    const endpoint = await listen(() => {});

    // Act
    const act = readObject(client(endpoint, { s3FirstByteTimeoutMs: 100 }), location, { op: 'get' }, 'req');

    // Assess
    await expect(act).rejects.toThrow(GatewayTimeoutError);
    await expect(act).rejects.toMatchObject({ cause: { name: 'TimeoutError' } });
  });

  test('a body that goes silent mid-stream errors (socket idle timeout) instead of hanging', async () => {
    // Prepare: headers and 10 of 1000 bytes, then silence.
    const endpoint = await listen((_request, response) => {
      response.writeHead(200, { 'content-length': '1000', etag: '"e"' });
      response.write(Buffer.alloc(10));
    });

    // Act
    const result = await readObject(client(endpoint, { s3IdleTimeoutMs: 100 }), location, { op: 'get' }, 'req');
    const body = await collect(result.body ?? (await Promise.reject(new Error('no body'))));

    // Assess
    expect(body.ended).toBe(false);
    expect(body.error?.name).toBe('TimeoutError');
    expect(body.data).toHaveLength(10);
  });

  test('sockets are kept alive: sequential reads share one connection', async () => {
    // Prepare
    let connections = 0;
    const endpoint = await listen((_request, response) => {
      response.writeHead(200, { 'content-length': '2', etag: '"e"' }).end('ok');
    });
    server?.on('connection', () => {
      connections += 1;
    });
    const s3 = client(endpoint);

    // Act
    for (let i = 0; i < 3; i += 1) {
      const result = await readObject(s3, location, { op: 'get' }, 'req');
      if (result.body !== undefined) await collect(result.body);
    }

    // Assess
    expect(connections).toBe(1);
  });

  test('sockets are bounded: 60 concurrent reads on a 50-socket pool never open more than 50 connections', async () => {
    // Prepare: hold every answer until all requests are in flight or queued in the agent.
    let open = 0;
    let peak = 0;
    const held: ServerResponse[] = [];
    const endpoint = await listen((_request, response) => {
      held.push(response);
    });
    server?.on('connection', (socket) => {
      open += 1;
      peak = Math.max(peak, open);
      socket.on('close', () => {
        open -= 1;
      });
    });
    // Generous timeouts: a request queued for a socket counts its wait against connectionTimeout (smithy
    // starts that timer when the request is created), and this test is about the bound, not the clock.
    const s3 = client(endpoint, { s3ConnectTimeoutMs: 30_000, s3FirstByteTimeoutMs: 30_000 }, 50);
    const reads = Array.from({ length: 60 }, () => readObject(s3, location, { op: 'get' }, 'req'));
    while (held.length < 50) await new Promise((resolve) => setTimeout(resolve, 5));

    // Act
    const release = setInterval(() => {
      for (const response of held.splice(0)) response.writeHead(200, { 'content-length': '2', etag: '"e"' }).end('ok');
    }, 5);
    let results: Awaited<ReturnType<typeof readObject>>[];
    try {
      results = await Promise.all(reads);
    } finally {
      clearInterval(release);
    }
    await Promise.all(results.map((result) => (result.body === undefined ? undefined : collect(result.body))));

    // Assess
    expect(results).toHaveLength(60);
    expect(peak).toBe(50);
  });

  test('takes its SDK settings from code, never from the shared config files', async () => {
    // Prepare: a config file that would change every fixed setting if the SDK read it
    const dir = mkdtempSync(join(tmpdir(), 'media-origin-aws-config-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      '[default]\nmax_attempts = 9\nretry_mode = adaptive\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n' +
        's3_use_arn_region = true\nendpoint_url = http://127.0.0.1:9\n',
    );
    const previous = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = file;
    try {
      // Act
      const s3 = client('http://127.0.0.1:1');
      const config = s3.config;

      // Assess: a setting is a value or a provider of one
      const value = async (setting: unknown): Promise<unknown> =>
        typeof setting === 'function' ? (setting as () => unknown)() : setting;
      expect(await value(config.maxAttempts)).toBe(FIXED_SDK_SETTINGS.maxAttempts);
      expect(await value(config.retryMode)).toBe(FIXED_SDK_SETTINGS.retryMode);
      expect(await value(config.useFipsEndpoint)).toBe(false);
      expect(await value(config.useDualstackEndpoint)).toBe(false);
      expect(await value(config.useArnRegion)).toBe(false);
      expect(config.ignoreConfiguredEndpointUrls).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = previous;
    }
  });
});
