/**
 * What happens around the handler rather than inside it, in the runtime this run uses
 * (LOCAL_RUNTIME; `npm run test:ric` runs it under AWS's runtime interface client on the synthesized bundle):
 * an init error from a bad variable, the function timeout, an answer over the response budget (307), a body past
 * Lambda's 6 MB uncapped burst, and a crashed environment replaced by a cold start.
 */

import { request as httpRequest } from 'node:http';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { S3Server } from '../../local/s3/server.ts';
import type { LocalStack } from '../../local/stack.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { isRealClientRun } from '../support/local/runtime-mode.ts';
import { startProxiedFunction, startProxiedStore } from '../support/proxied-store.ts';
import { send } from '../support/viewer-request.ts';

const BUCKET = 'lifecycle';
const MiB = 1024 * 1024;
const BIG = Buffer.alloc(7 * MiB + 12_345);
for (let i = 0; i < BIG.length; i += 1) BIG[i] = (i * 7 + (i >> 13)) & 0xff;
const SMALL = Buffer.from('a small object that fits any budget');
const QUIET = { POWERTOOLS_LOG_LEVEL: 'CRITICAL' };

let s3: S3Server;
let proxy: FaultProxy;
let client: S3Client;

beforeAll(async () => {
  ({ s3, proxy, client } = await startProxiedStore(BUCKET));
  for (const [key, body] of [
    ['big.bin', BIG],
    ['small.txt', SMALL],
  ] as const) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await s3?.close();
});

interface Started {
  readonly stack: LocalStack;
  readonly log: string[];
}

async function start(functionEnv: Record<string, string> = {}, timeoutMs?: number): Promise<Started> {
  const log: string[] = [];
  const stack = await startProxiedFunction(proxy, BUCKET, {
    functionEnv: { ...QUIET, ...functionEnv },
    log: (line) => log.push(line),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { stack, log };
}

describe('init error: a bad variable makes the handler module throw a ConfigError at import', () => {
  const BAD = { MAX_RANGE_PARTS: 'lots' };

  test('the viewer gets a 502 and the cause is logged (real client), or the stack refuses to start (emulation)', async () => {
    if (!isRealClientRun()) {
      // Act + Assess: the in-house runtime imports the handler at start, so `npm start` names the variable.
      await expect(start(BAD)).rejects.toThrow(/MAX_RANGE_PARTS/);
      return;
    }
    // Prepare: on Lambda the init error reaches the viewer; the stack itself starts.
    const { stack, log } = await start(BAD);
    try {
      // Act
      const first = await send(stack.url, '/small.txt');
      const second = await send(stack.url, '/small.txt');

      // Assess: both requests got 502 (each tried a fresh environment), and the log names the variable.
      expect(first.status).toBe(502);
      expect(first.headers['x-amzn-errortype']).toBeDefined();
      expect(second.status).toBe(502);
      expect(log.join('\n')).toMatch(/init failed: ConfigError: MAX_RANGE_PARTS/);
    } finally {
      await stack.close();
    }
  }, 60_000);
});

describe('bodies past 6 MB', () => {
  let started: Started;

  beforeAll(async () => {
    started = await start({ MAX_RESPONSE_BYTES: String(8 * MiB) });
  }, 60_000);

  afterAll(async () => {
    await started?.stack.close();
  });

  test('a body past 6 MB arrives whole and byte-exact', async () => {
    // Act
    const response = await send(started.stack.url, '/big.bin');

    // Assess
    expect(response.status).toBe(200);
    expect(response.complete).toBe(true);
    expect(response.body.length).toBe(BIG.length);
    expect(response.body.equals(BIG)).toBe(true);
  }, 60_000);

  test('a range starting past 6 MB is exact', async () => {
    // Act
    const response = await send(started.stack.url, '/big.bin', { headers: { Range: `bytes=${6 * MiB}-` } });

    // Assess
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${6 * MiB}-${BIG.length - 1}/${BIG.length}`);
    expect(response.body.equals(BIG.subarray(6 * MiB))).toBe(true);
  }, 60_000);
});

describe('function timeout', () => {
  test('cuts a response stalled mid-body; the next request is served', async () => {
    // Prepare: a 3 s function timeout; S3 goes silent after 300 kB of the body, for longer than that (the
    // function's own idle timeout is longer still, so only the function timeout can end it).
    const started = await start({ MAX_RESPONSE_BYTES: String(8 * MiB), S3_IDLE_TIMEOUT_MS: '60000' }, 3_000);
    // A warm environment first: locally the timeout clock starts when the request arrives, cold start included.
    await send(started.stack.url, '/small.txt');
    proxy.inject({ action: { kind: 'stall', afterBodyBytes: 300_000 }, match: (r) => r.path.includes('big.bin') });
    try {
      // Act
      const cut = await send(started.stack.url, '/big.bin');
      proxy.clearFaults();
      const next = await send(started.stack.url, '/small.txt');

      // Assess: the head went out, then the connection ended without the terminating chunk.
      expect(cut.status).toBe(200);
      expect(cut.complete).toBe(false);
      expect(cut.body.length).toBeLessThan(BIG.length);
      expect(cut.body.equals(BIG.subarray(0, cut.body.length))).toBe(true);
      expect(started.log.join('\n')).toMatch(/Sandbox\.Timedout|Task timed out/);
      expect(next.status).toBe(200);
      expect(next.body.equals(SMALL)).toBe(true);
      if (isRealClientRun()) {
        // Lambda resets the environment after a timeout: it was killed, and another one served the next request.
        expect(started.log.join('\n')).toMatch(/function timeout -> environment killed/);
      }
    } finally {
      proxy.clearFaults();
      await started.stack.close();
    }
  }, 60_000);
});

/** Lambda-only behaviour the emulation deliberately does not have (docs/local-stack.md, "Two runtime modes"). */
const realClientOnly = isRealClientRun() ? describe : describe.skip;

realClientOnly('a viewer that leaves (real client only: the emulation destroys the stream at once)', () => {
  test('the function runs on until its deadline, which kills the environment; the next request is served', async () => {
    // Prepare: S3 stalls after 300 kB for longer than the 3 s function timeout.
    const started = await start({ MAX_RESPONSE_BYTES: String(8 * MiB), S3_IDLE_TIMEOUT_MS: '60000' }, 3_000);
    await send(started.stack.url, '/small.txt');
    proxy.inject({ action: { kind: 'stall', afterBodyBytes: 300_000 }, match: (r) => r.path.includes('big.bin') });
    try {
      // Act: the viewer reads the head and leaves; then waits past the deadline.
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${started.stack.url}big.bin`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
        req.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      proxy.clearFaults();
      const next = await send(started.stack.url, '/small.txt');

      // Assess
      expect(started.log.join('\n')).toMatch(/reached its deadline/);
      expect(next.status).toBe(200);
      expect(next.body.equals(SMALL)).toBe(true);
    } finally {
      proxy.clearFaults();
      await started.stack.close();
    }
  }, 60_000);
});

describe('response budget', () => {
  test('an object over MAX_RESPONSE_BYTES gets a 307 to a presigned URL and no body', async () => {
    // Prepare
    const { stack } = await start({ MAX_RESPONSE_BYTES: '1000', OPEN_RANGE_CAP_BYTES: '1000' });
    try {
      // Act
      const response = await send(stack.url, '/big.bin');

      // Assess
      expect(response.status).toBe(307);
      expect(response.body.length).toBe(0);
      const location = new URL(String(response.headers.location));
      expect(location.pathname).toBe(`/${BUCKET}/big.bin`);
      expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
