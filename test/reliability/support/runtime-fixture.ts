/**
 * Child-process fixture for test/reliability/runtime-stream.test.ts: runs the REAL handler inside the runtime
 * emulator (runtime-emulator.ts: ClientRequest response stream to a fake Runtime API, the runtime's invoke loop,
 * and its process-wide handlers that exit 128 on an unhandled rejection and 129 on an uncaught exception), with
 * the real embedded S3 behind the fault proxy, and drives scenarios where the S3 body fails after the first
 * byte. It must run in its own process: the point is to see whether the process survives.
 *
 * Usage: node test/reliability/support/runtime-fixture.ts <results.jsonl>
 * Each line of the results file is one JSON object: `{ type: 'invocation', ... }`, `{ type: 'process-event' }`
 * or `{ type: 'done' }`. Lines are appended synchronously so they survive a crash.
 */
import { appendFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { FaultProxy } from '../../support/fault-proxy.ts';
import { checkResponse } from './invariant.ts';
import { startProxiedStore } from './rig.ts';
import {
  installAwsLambdaGlobal,
  installRuntimeCrashHandlers,
  type RuntimeApiRecord,
  type StreamingHandler,
  startFakeRuntimeApi,
  startRuntimeLoop,
  TRAILER_ERROR_TYPE,
} from './runtime-emulator.ts';

const resultsFile = process.argv[2];
if (resultsFile === undefined) throw new Error('usage: runtime-fixture.ts <results.jsonl>');
const out = (line: Record<string, unknown>): void => appendFileSync(resultsFile, `${JSON.stringify(line)}\n`);

installRuntimeCrashHandlers(out);

const BUCKET = 'runtime-fixture';
const KEY = 'clip.bin';
const SIZE = 2 * 1024 * 1024;

function randomBytes(size: number, seed: number): Buffer {
  const buf = Buffer.alloc(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    buf.writeUInt32LE(state, i);
  }
  return buf;
}

const { s3, proxy, client } = await startProxiedStore(BUCKET);
const versions = new Map<string, Buffer>();
async function put(body: Buffer): Promise<string> {
  const { ETag } = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body }));
  if (ETag === undefined) throw new Error('no ETag from PutObject');
  versions.set(ETag, body);
  return ETag;
}
await put(randomBytes(SIZE, 1));

// The function's environment, as lib/ or local/ would set it, before the handler module loads.
Object.assign(process.env, {
  BUCKET_NAME: BUCKET,
  S3_ENDPOINT: proxy.url,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  S3_CONNECT_TIMEOUT_MS: '1000',
  S3_FIRST_BYTE_TIMEOUT_MS: '300',
  S3_IDLE_TIMEOUT_MS: '2000',
  RESUME_ATTEMPTS: '2',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  POWERTOOLS_SERVICE_NAME: 'media-origin',
});
installAwsLambdaGlobal();
const module = (await import('../../../lambda/handler.ts')) as unknown as { handler: StreamingHandler };

const api = await startFakeRuntimeApi();
const loop = startRuntimeLoop(api.address, module.handler);

function event(headers: Record<string, string>): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: `/${KEY}`,
    rawQueryString: '',
    headers: { host: 'abc.lambda-url.us-east-1.on.aws', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method: 'GET', path: `/${KEY}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'fixture' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** Splits what the Runtime API received into prelude and body, and judges the body with the shared invariant. */
function describe(record: RuntimeApiRecord): Record<string, unknown> {
  const nul = record.body.indexOf(0);
  const errorTrailer = Object.keys(record.trailers).some((name) => name === TRAILER_ERROR_TYPE.toLowerCase());
  let prelude: { statusCode?: number; headers?: Record<string, string> } | undefined;
  let body: Buffer = Buffer.alloc(0);
  if (nul >= 0) {
    prelude = JSON.parse(record.body.subarray(0, nul).toString('utf8')) as typeof prelude;
    body = record.body.subarray(nul + 8);
  }
  let verdict: unknown;
  try {
    verdict =
      prelude === undefined
        ? { kind: 'no-prelude' }
        : checkResponse(
            {
              status: prelude.statusCode ?? 0,
              headers: prelude.headers ?? {},
              body,
              // A clean end is a complete chunked message WITHOUT error trailers.
              complete: record.outcome === 'complete' && !errorTrailer,
            },
            versions,
          );
  } catch (error) {
    verdict = { kind: 'violation', message: String(error) };
  }
  return {
    outcome: record.outcome,
    trailers: record.trailers,
    errorTrailer,
    status: prelude?.statusCode,
    contentRange: prelude?.headers?.['content-range'],
    bodyBytes: body.length,
    verdict,
  };
}

interface Scenario {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly arrange?: (proxy: FaultProxy) => void;
}

const firstRead = (r: { method: string; headers: Readonly<Record<string, string>> }): boolean =>
  r.method === 'GET' && r.headers['if-match'] === undefined;

const scenarios: Scenario[] = [
  { name: 'healthy range', headers: { range: 'bytes=1000-300999' } },
  {
    name: 'cut once, resumed',
    headers: { range: 'bytes=0-1048575' },
    arrange: (p) => p.inject({ action: { kind: 'cut', afterBodyBytes: 100_000 }, match: firstRead }),
  },
  {
    name: 'cut on every read: resume attempts exhausted',
    headers: { range: 'bytes=0-1048575' },
    arrange: (p) =>
      p.inject({ action: { kind: 'cut', afterBodyBytes: 50_000 }, match: (r) => r.method === 'GET', times: 3 }),
  },
  { name: 'healthy after exhaustion', headers: { range: 'bytes=0-1' } },
  {
    name: 'object replaced between cut and resume (412)',
    headers: { range: 'bytes=0-1048575' },
    arrange: (p) =>
      p.inject({
        action: { kind: 'cut', afterBodyBytes: 70_000 },
        match: firstRead,
        onFire: async () => {
          await put(randomBytes(SIZE, 2));
        },
      }),
  },
  {
    name: 'reset mid-body on every read',
    headers: {},
    arrange: (p) =>
      p.inject({ action: { kind: 'reset', afterBodyBytes: 30_000 }, match: (r) => r.method === 'GET', times: 3 }),
  },
  {
    name: 'stall before headers (504 before the first byte)',
    headers: { range: 'bytes=0-99' },
    arrange: (p) =>
      p.inject({ action: { kind: 'stall', afterBytes: 0 }, match: (r) => r.method === 'GET', times: Infinity }),
  },
  { name: 'healthy at the end', headers: { range: 'bytes=500-1499' } },
];

let n = 0;
for (const scenario of scenarios) {
  proxy.clearFaults();
  scenario.arrange?.(proxy);
  const requestId = `invocation-${n}`;
  n += 1;
  const record = await api.invoke(event(scenario.headers), requestId);
  proxy.clearFaults();
  out({ type: 'invocation', scenario: scenario.name, requestId, ...describe(record) });
}

// Let late events (a rejection scheduled after the last response) surface before declaring success.
await new Promise((resolve) => setTimeout(resolve, 500));
out({ type: 'done', processed: loop.processed, proxy: proxy.stats() });
loop.stop();
await api.close();
await proxy.close();
await s3.close();
client.destroy();
process.exit(0);
