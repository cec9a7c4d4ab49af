/**
 * A faithful stand-in for the Lambda Node.js runtime's STREAMING path, to find out whether a handler's error
 * paths can take the process down
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html). Reproduced from the
 * runtime interface client (aws/aws-lambda-nodejs-runtime-interface-client):
 *
 * - src/stream/response-stream.ts (and 3.x src/ResponseStream.js): the response stream IS an
 *   `http.ClientRequest` POSTing to the Runtime API with `Transfer-Encoding: chunked`,
 *   `Lambda-Runtime-Function-Response-Mode: streaming` and `Trailer: Lambda-Runtime-Function-Error-Type,
 *   Lambda-Runtime-Function-Error-Body`. Two deferreds, `headersDone` and `responseDone`, are rejected from the
 *   request's 'error' listener; the runtime awaits only `responseDone`. `headersDone` is never awaited ("Not
 *   required to be awaited" in 3.x), so ANY 'error' on the request — which `destroy(err)` and even a plain
 *   `destroy()` ("socket hang up") emit — is an unhandled rejection.
 * - The handler gets a facade exposing only Writable members (toWritableResponseStream), with
 *   `setContentType()` and the `_onBeforeFirstWrite` hook `HttpResponseStream.from()` installs.
 * - src/runtime/streaming-invoke-processor.ts + lifecycle-manager.ts: await the handler's promise, then
 *   `responseDone`, then require `writableFinished`; any throw goes to failResponseStream -> the fail function:
 *   `addTrailers({ Lambda-Runtime-Function-Error-Type, -Body })` and `end()`.
 * - src/index.ts: process-wide `unhandledRejection` -> exit(128), `uncaughtException` -> exit(129). Callers
 *   install those (see runtime-fixture.ts) so a crash is observable as the exit code.
 *
 * Written from the behaviour of those files, not copied.
 *
 * Why this is not the emulated runtime (local/runtimes/emulated/) or the local Runtime API server
 * (local/runtimes/aws-ric/runtime-api-server.ts): the emulation hands chunks to the local Function URL over a
 * worker's message port and never crashes its process on a stream error, because the local stack must stay up;
 * here the response stream must BE an http.ClientRequest with the client's never-awaited promise, so that a
 * handler's error path shows whether it would take a real execution environment down. The `awslambda` global
 * and the handler's context are the shared ones.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { lambdaContext } from '../../../local/runtimes/emulated/lambda-context.ts';
import { type RuntimeFacade, toRuntimeFacade } from '../../../local/runtimes/emulated/response-stream.ts';

/** The `awslambda` global the handler needs, shared with the emulated runtime (one reproduction of it). */
export { installAwsLambdaGlobal } from '../../../local/runtimes/emulated/globals.ts';

export const TRAILER_ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
export const TRAILER_ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';
const API_PREFIX = '/2018-06-01/runtime/invocation';

/** What the Runtime API (RAPID) received for one invocation. */
export interface RuntimeApiRecord {
  readonly requestId: string;
  /** 'complete': chunked body ended with its terminator; 'aborted': the connection went away first. */
  readonly outcome: 'complete' | 'aborted' | 'error-posted';
  readonly contentType: string | undefined;
  readonly body: Buffer;
  readonly trailers: Readonly<Record<string, string>>;
}

export interface FakeRuntimeApi {
  readonly address: string;
  /** Queue an invocation; resolves with what the function sent back for it. */
  invoke(event: unknown, requestId: string): Promise<RuntimeApiRecord>;
  close(): Promise<void>;
}

/** The Runtime API side: hands out queued events on /next and records each streamed response. */
export async function startFakeRuntimeApi(): Promise<FakeRuntimeApi> {
  const queue: Array<{ event: unknown; requestId: string }> = [];
  const waiting: Array<(item: { event: unknown; requestId: string }) => void> = [];
  const results = new Map<string, (record: RuntimeApiRecord) => void>();

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${API_PREFIX}/next`) {
      const send = (item: { event: unknown; requestId: string }): void => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': item.requestId,
          'lambda-runtime-deadline-ms': String(Date.now() + 60_000),
          'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:media-origin',
        });
        res.end(JSON.stringify(item.event));
      };
      const item = queue.shift();
      if (item) send(item);
      else waiting.push(send);
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && match) {
      const requestId = decodeURIComponent(match[1] ?? '');
      const chunks: Buffer[] = [];
      let recorded = false;
      const record = (outcome: RuntimeApiRecord['outcome']): void => {
        if (recorded) return;
        recorded = true;
        const trailers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.trailers)) if (value !== undefined) trailers[name] = value;
        results.get(requestId)?.({
          requestId,
          outcome,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks),
          trailers,
        });
      };
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        record(match[2] === 'error' ? 'error-posted' : 'complete');
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"status":"OK"}');
      });
      req.on('error', () => record('aborted'));
      req.on('close', () => {
        if (!req.complete) record('aborted');
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    invoke(event: unknown, requestId: string): Promise<RuntimeApiRecord> {
      const done = new Promise<RuntimeApiRecord>((resolve) => results.set(requestId, resolve));
      const item = { event, requestId };
      const waiter = waiting.shift();
      if (waiter) waiter(item);
      else queue.push(item);
      return done;
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type BeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => void;

/** The ClientRequest the runtime streams into, plus the members the runtime adds to it. */
interface RuntimeRequest extends http.ClientRequest {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: BeforeFirstWrite;
}

/** The facade handed to the handler: the same one the local runtime builds (toWritableResponseStream). */
export type HandlerStream = RuntimeFacade<RuntimeRequest>;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface StreamKit {
  readonly stream: HandlerStream;
  readonly responseDone: Promise<Buffer | undefined>;
  readonly fail: (error: unknown) => Promise<void>;
}

function createResponseStream(api: string, requestId: string, agent: http.Agent): StreamKit {
  const [hostname, port] = api.split(':');
  let writeCalled = false;
  const headersDone = deferred<number>();
  const responseDone = deferred<Buffer | undefined>();
  const req = http.request(
    {
      method: 'POST',
      hostname,
      port: Number(port),
      path: `${API_PREFIX}/${encodeURIComponent(requestId)}/response`,
      agent,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        Trailer: [TRAILER_ERROR_TYPE, TRAILER_ERROR_BODY],
        'Content-Type': 'application/octet-stream',
        'Transfer-Encoding': 'chunked',
      },
    },
    (res) => {
      headersDone.resolve(res.statusCode ?? 0);
      let body: Buffer | undefined;
      res.on('data', (chunk: Buffer) => {
        body = body === undefined ? chunk : Buffer.concat([body, chunk]);
      });
      res.on('aborted', () => {
        const error = new Error('RAPID response aborted');
        responseDone.reject(error);
        req.destroy(error);
      });
      res.on('end', () => responseDone.resolve(body));
    },
  ) as RuntimeRequest;
  req.on('error', (error) => {
    // As in the runtime: headersDone is rejected here and awaited by nobody.
    headersDone.reject(error);
    responseDone.reject(error);
    req.destroy(error);
  });
  req.setContentType = (contentType: string) => {
    if (writeCalled) throw new Error('Cannot set content-type, too late.');
    req.setHeader('Content-Type', contentType);
  };
  const originalWrite = req.write.bind(req) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!writeCalled && typeof req._onBeforeFirstWrite === 'function') {
      req._onBeforeFirstWrite((piece) => originalWrite(piece));
    }
    writeCalled = true;
    return originalWrite(data, ...rest);
  };
  Object.defineProperty(req, 'write', { value: write, writable: true, configurable: true });

  const facade = toRuntimeFacade(req as RuntimeRequest);

  const fail = async (error: unknown): Promise<void> => {
    const errorType = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    req.addTrailers({
      [TRAILER_ERROR_TYPE]: errorType,
      [TRAILER_ERROR_BODY]: Buffer.from(JSON.stringify({ errorType, errorMessage: message })).toString('base64'),
    });
    await new Promise<void>((resolve) => req.end(() => resolve()));
  };

  return { stream: facade, responseDone: responseDone.promise, fail };
}

/** The `awslambda` global the runtime installs before loading the handler module. */
/**
 * The runtime's process-wide handlers (runtime interface client src/index.ts): an unhandled rejection or an
 * uncaught exception ends the sandbox. `record` is told which one, before the exit.
 */
export function installRuntimeCrashHandlers(record: (line: Record<string, unknown>) => void): void {
  process.on('unhandledRejection', (reason) => {
    record({ type: 'process-event', event: 'unhandledRejection', message: String(reason) });
    process.exit(128);
  });
  process.on('uncaughtException', (error) => {
    record({ type: 'process-event', event: 'uncaughtException', message: String(error) });
    process.exit(129);
  });
}

export type StreamingHandler = (event: unknown, stream: HandlerStream, context: unknown) => unknown;

export interface RuntimeLoop {
  stop(): void;
  /** Invocations whose processing finished (successfully or through fail()). */
  readonly processed: number;
}

/** Fetches invocations from /next and processes them one at a time, as the runtime's single-concurrency loop. */
export function startRuntimeLoop(api: string, handler: StreamingHandler): RuntimeLoop {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopped = false;
  let processed = 0;

  const next = (): Promise<{ event: unknown; requestId: string }> =>
    new Promise((resolve, reject) => {
      const req = http.get(`http://${api}${API_PREFIX}/next`, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const requestId = String(res.headers['lambda-runtime-aws-request-id']);
          resolve({ event: JSON.parse(Buffer.concat(chunks).toString('utf8')), requestId });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });

  const processInvoke = async (event: unknown, requestId: string): Promise<void> => {
    const { stream, responseDone, fail } = createResponseStream(api, requestId, agent);
    try {
      const result = handler(
        event,
        stream,
        lambdaContext({ awsRequestId: requestId, deadlineMs: Date.now() + 60_000 }),
      );
      if (typeof (result as Promise<unknown> | undefined)?.then !== 'function') {
        throw new Error('Streaming does not support non-async handlers.');
      }
      await result;
      await responseDone;
      if (!stream.writableFinished) throw new Error('Response stream is not finished.');
    } catch (error) {
      await nextTurn();
      // As the runtime: the fail function is called, not awaited by the loop.
      void fail(error);
    }
  };

  void (async () => {
    while (!stopped) {
      let item: { event: unknown; requestId: string };
      try {
        item = await next();
      } catch {
        return;
      }
      await processInvoke(item.event, item.requestId);
      processed += 1;
    }
  })();

  return {
    stop(): void {
      stopped = true;
      agent.destroy();
    },
    get processed(): number {
      return processed;
    },
  };
}
