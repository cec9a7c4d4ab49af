/**
 * The local Runtime API (local/runtimes/aws-ric/runtime-api-server.ts) driven over real HTTP the way aws-lambda-ric 4.0.2 drives
 * it (index.mjs: nextInvocation, createResponseStream, postInitError): long-polled /next, a chunked streaming
 * response with error trailers, /init/error, and flow control. The real client itself runs in `npm run test:ric`.
 */

import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { RuntimeApiServer } from '../../../local/runtimes/aws-ric/runtime-api-server.ts';
import type { FunctionErrorData, InvocationSink } from '../../../local/runtimes/runtime.ts';

interface Recorded {
  contentType: string | undefined;
  bytes: Buffer[];
  ended: boolean;
  failed: { error: FunctionErrorData; kind: string } | undefined;
  resolved: boolean;
  heldAcks: Array<() => void>;
}

function recordingSink(holdAcks = false): { sink: InvocationSink; seen: Recorded } {
  const seen: Recorded = {
    contentType: undefined,
    bytes: [],
    ended: false,
    failed: undefined,
    resolved: false,
    heldAcks: [],
  };
  const sink: InvocationSink = {
    open: (contentType) => {
      seen.contentType = contentType;
    },
    data: (chunk, ack) => {
      seen.bytes.push(Buffer.from(chunk));
      if (holdAcks) seen.heldAcks.push(ack);
      else ack();
    },
    end: () => {
      seen.ended = true;
    },
    fail: (error, kind) => {
      seen.failed = { error, kind };
    },
    resolved: () => {
      seen.resolved = true;
    },
  };
  return { sink, seen };
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

let api: RuntimeApiServer;
let nextCalls = 0;
let initErrors: FunctionErrorData[] = [];

beforeEach(async () => {
  nextCalls = 0;
  initErrors = [];
  api = await RuntimeApiServer.start({
    flowWindowBytes: 64 * 1024,
    log: () => undefined,
    events: {
      next: () => {
        nextCalls += 1;
      },
      initError: (error) => initErrors.push(error),
    },
  });
});

afterEach(async () => {
  await api.close();
});

function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  write?: (req: ReturnType<typeof request>) => void,
): Promise<Reply> {
  const [host, port] = api.address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    if (write === undefined) req.end();
    else write(req);
  });
}

const STREAMING_HEADERS = {
  'Lambda-Runtime-Function-Response-Mode': 'streaming',
  'Transfer-Encoding': 'chunked',
  Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
  'Content-Type': 'application/vnd.awslambda.http-integration-response',
};

async function waitUntil(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!predicate()) throw new Error('condition not reached');
}

async function dispatched(requestId: string, sink: InvocationSink): Promise<Reply> {
  const next = call('GET', '/2018-06-01/runtime/invocation/next');
  await waitUntil(() => api.idle);
  api.dispatch({
    requestId,
    eventJson: JSON.stringify({ rawPath: '/clip.mp4' }),
    deadlineMs: 1_900_000_000_000,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    traceId: 'Root=1-00000000-000000000000000000000000',
    sink,
  });
  return next;
}

describe('GET /runtime/invocation/next', () => {
  it('is held until an invocation arrives, then carries the event and the invocation headers', async () => {
    // Prepare
    const { sink } = recordingSink();

    // Act
    const next = await dispatched('req-1', sink);

    // Assess
    expect(nextCalls).toBe(1);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toEqual({ rawPath: '/clip.mp4' });
    expect(next.headers['lambda-runtime-aws-request-id']).toBe('req-1');
    expect(next.headers['lambda-runtime-deadline-ms']).toBe('1900000000000');
    expect(next.headers['lambda-runtime-invoked-function-arn']).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:f',
    );
    expect(next.headers['lambda-runtime-trace-id']).toBe('Root=1-00000000-000000000000000000000000');
  });
});

describe('POST /runtime/invocation/{id}/response (streaming)', () => {
  it('forwards the content type and every byte, ends the stream, and resolves at the next /next', async () => {
    // Prepare
    const { sink, seen } = recordingSink();
    await dispatched('req-2', sink);
    const body = Buffer.concat([Buffer.from('{"statusCode":206}'), Buffer.alloc(8), Buffer.from('xy')]);

    // Act
    const reply = await call('POST', '/2018-06-01/runtime/invocation/req-2/response', STREAMING_HEADERS, (req) => {
      req.write(body.subarray(0, 5));
      req.end(body.subarray(5));
    });
    const endedBeforeNext = seen.ended && !seen.resolved;
    // Held open until the server closes after the test: its hang-up is expected.
    call('GET', '/2018-06-01/runtime/invocation/next').catch(() => undefined);
    await waitUntil(() => seen.resolved);

    // Assess
    expect(reply.status).toBe(202);
    expect(seen.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(Buffer.concat(seen.bytes).equals(body)).toBe(true);
    expect(endedBeforeNext).toBe(true);
    expect(seen.failed).toBeUndefined();
  });

  it('turns the error trailers after a partial body into a handler failure with the decoded error', async () => {
    // Prepare
    const { sink, seen } = recordingSink();
    await dispatched('req-3', sink);
    const error = { errorType: 'BodyIncompleteError', errorMessage: 'incomplete after 100 bytes', trace: ['at x'] };

    // Act
    const reply = await call('POST', '/2018-06-01/runtime/invocation/req-3/response', STREAMING_HEADERS, (req) => {
      req.write('partial body');
      req.addTrailers({
        'Lambda-Runtime-Function-Error-Type': error.errorType,
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
      });
      req.end();
    });

    // Assess
    expect(reply.status).toBe(202);
    expect(Buffer.concat(seen.bytes).toString()).toBe('partial body');
    expect(seen.ended).toBe(false);
    expect(seen.failed).toEqual({
      kind: 'handler',
      error: { errorType: 'BodyIncompleteError', errorMessage: 'incomplete after 100 bytes', stack: 'at x' },
    });
  });

  it('pauses the runtime above the flow window until the viewer side acknowledges', async () => {
    // Prepare
    const { sink, seen } = recordingSink(true);
    await dispatched('req-4', sink);
    const total = 2 * 1024 * 1024;
    const received = (): number => seen.bytes.reduce((sum, chunk) => sum + chunk.length, 0);

    // Act
    const reply = call('POST', '/2018-06-01/runtime/invocation/req-4/response', STREAMING_HEADERS, (req) => {
      req.end(Buffer.alloc(total, 1));
    });
    await waitUntil(() => received() >= 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const heldBack = received();
    while (!seen.ended) {
      for (const ack of seen.heldAcks.splice(0)) ack();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    // Assess: with no acks, far less than the body got through; after them, all of it.
    expect(heldBack).toBeLessThan(total / 2);
    expect(received()).toBe(total);
    expect((await reply).status).toBe(202);
  });

  it('refuses a response for an invocation that is not in flight', async () => {
    // Act
    const reply = await call('POST', '/2018-06-01/runtime/invocation/nobody/response', STREAMING_HEADERS, (req) =>
      req.end('x'),
    );

    // Assess
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).errorType).toBe('InvalidRequestID');
  });
});

describe('POST /runtime/invocation/{id}/error and /runtime/init/error', () => {
  it('reports an invocation error as a handler failure', async () => {
    // Prepare
    const { sink, seen } = recordingSink();
    await dispatched('req-5', sink);
    const body = JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom', trace: [] });

    // Act
    const reply = await call(
      'POST',
      '/2018-06-01/runtime/invocation/req-5/error',
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': 'TypeError' },
      (req) => req.end(body),
    );

    // Assess
    expect(reply.status).toBe(202);
    expect(seen.failed).toEqual({ kind: 'handler', error: { errorType: 'TypeError', errorMessage: 'boom' } });
  });

  it('passes an init error on', async () => {
    // Prepare
    const body = JSON.stringify({ errorType: 'ConfigError', errorMessage: 'MAX_RANGE_PARTS must be', trace: [] });

    // Act
    const reply = await call(
      'POST',
      '/2018-06-01/runtime/init/error',
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': 'ConfigError' },
      (req) => req.end(body),
    );

    // Assess
    expect(reply.status).toBe(202);
    expect(initErrors).toEqual([{ errorType: 'ConfigError', errorMessage: 'MAX_RANGE_PARTS must be' }]);
  });
});

describe('connections of the runtime', () => {
  it('keeps an idle keep-alive connection open past Node’s default idle timeout, as the runtime client reuses it', async () => {
    // Prepare: one socket, as the client's Agent (keepAlive, maxSockets 1) posts every streamed response on it.
    const { sink } = recordingSink();
    await dispatched('req-idle', sink);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const [host, port] = api.address.split(':');
    const post = (): Promise<{ status: number; socket: Socket }> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host, port: Number(port), method: 'POST', path: '/2018-06-01/runtime/invocation/req-idle/error', agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket as Socket }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ errorType: 'Error', errorMessage: 'idle check' }));
      });
    const first = await post();
    let closed = false;
    first.socket.once('close', () => {
      closed = true;
    });

    // Act: idle for longer than Node's default idle close (keepAliveTimeout 5 s + keepAliveTimeoutBuffer 1 s).
    await new Promise((resolve) => setTimeout(resolve, 7_500));

    // Assess: the server did not close the idle connection.
    expect(first.status).toBeLessThan(500);
    expect(closed).toBe(false);
    agent.destroy();
  }, 20_000);
});
