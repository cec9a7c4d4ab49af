/**
 * The Lambda Runtime API for ONE execution environment, as AWS's runtime interface client
 * (npm aws-lambda-ric 4.0.2, index.mjs: RAPIDClient, createResponseStream, HttpResponseStream) speaks it:
 *
 * - `GET  /2018-06-01/runtime/invocation/next`: long poll; answered with the event (JSON) and the headers
 *   `Lambda-Runtime-Aws-Request-Id`, `-Deadline-Ms`, `-Invoked-Function-Arn`, `-Trace-Id`. The runtime asks
 *   again only when the previous invocation is over (handler settled and its response posted), so the second
 *   /next is what frees the environment.
 * - `POST /2018-06-01/runtime/invocation/{id}/response`: streaming (`Lambda-Runtime-Function-Response-Mode:
 *   streaming`, chunked). The body is the stream's bytes (with `application/vnd.awslambda.http-integration-
 *   response`: prelude JSON + 8 NUL bytes + body); trailers `Lambda-Runtime-Function-Error-Type` and
 *   `-Error-Body` (base64 JSON) mean the invocation failed, before or after a partial body.
 * - `POST /2018-06-01/runtime/invocation/{id}/error`: a buffered handler's error (JSON body).
 * - `POST /2018-06-01/runtime/init/error`: the handler module failed to load (the process exits next).
 *
 * Bytes flow under a window: above `flowWindowBytes` not yet accepted by the viewer side, the request is paused,
 * so TCP backpressure reaches the runtime's ClientRequest and the handler's `write()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FunctionErrorData, type InvocationSink, noRelease } from '../runtime.ts';

export const RUNTIME_API_PREFIX = '/2018-06-01/runtime';
export const HEADER_REQUEST_ID = 'Lambda-Runtime-Aws-Request-Id';
export const HEADER_DEADLINE_MS = 'Lambda-Runtime-Deadline-Ms';
export const HEADER_FUNCTION_ARN = 'Lambda-Runtime-Invoked-Function-Arn';
export const HEADER_TRACE_ID = 'Lambda-Runtime-Trace-Id';
export const HEADER_RESPONSE_MODE = 'lambda-runtime-function-response-mode';
export const TRAILER_ERROR_TYPE = 'lambda-runtime-function-error-type';
export const TRAILER_ERROR_BODY = 'lambda-runtime-function-error-body';

/** A buffered error body or a posted init error larger than this is refused (Lambda caps payloads at 6 MB). */
const MAX_ERROR_BODY_BYTES = 6 * 1024 * 1024;

export interface RuntimeApiInvocation {
  readonly requestId: string;
  /** The event, already JSON. */
  readonly eventJson: string;
  readonly deadlineMs: number;
  readonly functionArn: string;
  readonly traceId?: string;
  readonly sink: InvocationSink;
}

export interface RuntimeApiEvents {
  /** The runtime is waiting for work: init finished (first call) or the previous invocation is over. */
  next(): void;
  /** The runtime reported an init error (the handler module failed to load). */
  initError(error: FunctionErrorData): void;
}

export interface RuntimeApiOptions {
  readonly host?: string;
  readonly flowWindowBytes: number;
  readonly events: RuntimeApiEvents;
  readonly log: (line: string) => void;
}

interface Current {
  readonly invocation: RuntimeApiInvocation;
  /** end() or fail() was called on the sink. */
  reported: boolean;
  /** The viewer side stopped listening: bytes are read and dropped (Lambda tells the function nothing). */
  discarding: boolean;
  request: IncomingMessage | undefined;
  unacked: number;
}

export class RuntimeApiServer {
  readonly #server: Server;
  readonly #options: RuntimeApiOptions;
  #waiting: ServerResponse | undefined;
  #current: Current | undefined;

  private constructor(server: Server, options: RuntimeApiOptions) {
    this.#server = server;
    this.#options = options;
  }

  static async start(options: RuntimeApiOptions): Promise<RuntimeApiServer> {
    // No idle or request timeouts (Node's defaults close an idle keep-alive connection after about 6 s and cut a request
    // after 300 s). The runtime client posts streamed responses through one keep-alive socket (an http.Agent with
    // keepAlive and maxSockets 1) and does not retry a post that meets a closed socket: its "socket hang up" is an
    // unhandled rejection that exits the runtime. Lambda's Runtime API lives in the execution environment, which
    // is frozen between invocations, and lets a streamed response run for the function's whole timeout (up to
    // 15 minutes), so neither default has a counterpart there.
    const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 });
    const api = new RuntimeApiServer(server, options);
    server.on('request', (req, res) => api.#route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return api;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { address, port } = this.#server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** Whether the runtime is parked on /next with nothing in flight. */
  get idle(): boolean {
    return this.#waiting !== undefined && this.#current === undefined;
  }

  /** Answers the runtime's pending /next with this invocation. */
  dispatch(invocation: RuntimeApiInvocation): void {
    const waiting = this.#waiting;
    if (waiting === undefined || this.#current !== undefined) {
      throw new Error('runtime API: dispatch while the runtime is not waiting for an invocation');
    }
    this.#waiting = undefined;
    this.#current = { invocation, reported: false, discarding: false, request: undefined, unacked: 0 };
    const body = Buffer.from(invocation.eventJson);
    waiting.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(body.byteLength),
      [HEADER_REQUEST_ID]: invocation.requestId,
      [HEADER_DEADLINE_MS]: String(invocation.deadlineMs),
      [HEADER_FUNCTION_ARN]: invocation.functionArn,
      ...(invocation.traceId === undefined ? {} : { [HEADER_TRACE_ID]: invocation.traceId }),
    });
    waiting.end(body);
  }

  /** Stops forwarding the current invocation's bytes; they are still read, so the handler streams on. */
  discard(): void {
    const current = this.#current;
    if (current === undefined) return;
    current.discarding = true;
    current.request?.resume();
  }

  /** The environment is gone: the invocation in flight (if any) fails with `error`. */
  abandon(error: FunctionErrorData): void {
    const current = this.#current;
    this.#current = undefined;
    if (current !== undefined && !current.reported) {
      current.reported = true;
      current.invocation.sink.fail(error, 'crash');
    }
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === `${RUNTIME_API_PREFIX}/invocation/next`) {
      this.#next(res);
      return;
    }
    if (req.method === 'POST' && path === `${RUNTIME_API_PREFIX}/init/error`) {
      readJson(req, (error) => {
        this.#options.events.initError(toErrorData(error, req.headers[TRAILER_ERROR_TYPE]));
        accepted(res);
      });
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && match !== null) {
      const requestId = decodeURIComponent(match[1] ?? '');
      const current = this.#current;
      if (current === undefined || current.invocation.requestId !== requestId) {
        req.resume();
        refuse(res, 400, 'InvalidRequestID', `no invocation ${requestId} in flight`);
        return;
      }
      if (current.reported || current.request !== undefined) {
        req.resume();
        refuse(res, 400, 'InvalidStateTransition', `invocation ${requestId} already has a response`);
        return;
      }
      if (match[2] === 'error') this.#invocationError(req, res, current);
      else this.#response(req, res, current);
      return;
    }
    req.resume();
    refuse(res, 404, 'UnknownEndpoint', `${req.method} ${path}`);
  }

  #next(res: ServerResponse): void {
    const finished = this.#current;
    if (finished !== undefined) {
      // The runtime only asks again once the previous invocation is over.
      this.#current = undefined;
      if (!finished.reported) {
        finished.reported = true;
        finished.invocation.sink.fail(
          { errorType: 'Runtime.NoResponse', errorMessage: 'the runtime asked for the next event without responding' },
          'handler',
        );
      }
      finished.invocation.sink.resolved();
    }
    this.#waiting = res;
    res.once('close', () => {
      if (this.#waiting === res) this.#waiting = undefined;
    });
    this.#options.events.next();
  }

  #invocationError(req: IncomingMessage, res: ServerResponse, current: Current): void {
    current.request = req;
    readJson(req, (error) => {
      current.reported = true;
      current.invocation.sink.fail(toErrorData(error, req.headers[TRAILER_ERROR_TYPE]), 'handler');
      accepted(res);
    });
  }

  #response(req: IncomingMessage, res: ServerResponse, current: Current): void {
    current.request = req;
    const { sink } = current.invocation;
    const mode = req.headers[HEADER_RESPONSE_MODE];
    if (typeof mode !== 'string' || mode.toLowerCase() !== 'streaming') {
      // A buffered result (a handler not wrapped in streamifyResponse). What a RESPONSE_STREAM Function URL
      // makes of it is not documented; the in-house runtime refuses such a handler at init. Fail visibly.
      req.resume();
      req.once('end', () => {
        current.reported = true;
        sink.fail(
          {
            errorType: 'Runtime.BufferedResponse',
            errorMessage:
              'the handler returned a buffered response; a RESPONSE_STREAM Function URL needs awslambda.streamifyResponse()',
          },
          'handler',
        );
        accepted(res);
      });
      return;
    }
    sink.open(headerValue(req.headers['content-type']) ?? 'application/octet-stream');
    const window = this.#options.flowWindowBytes;
    req.on('data', (chunk: Buffer) => {
      if (current.discarding || current.reported) return;
      const bytes = chunk.byteLength;
      current.unacked += bytes;
      if (current.unacked >= window) req.pause();
      sink.data(
        chunk,
        () => {
          current.unacked -= bytes;
          if (current.unacked < window && req.isPaused()) req.resume();
        },
        noRelease, // a socket's chunk: nothing to reuse
      );
    });
    req.once('end', () => {
      const errorType = headerValue(req.trailers[TRAILER_ERROR_TYPE]);
      if (!current.reported) {
        current.reported = true;
        if (errorType === undefined) sink.end();
        else sink.fail(decodeErrorBody(errorType, headerValue(req.trailers[TRAILER_ERROR_BODY])), 'handler');
      }
      accepted(res);
    });
    req.once('close', () => {
      if (req.complete || current.reported) return;
      // The runtime's request died mid-body (its process exited, or it destroyed the stream).
      current.reported = true;
      sink.fail(
        { errorType: 'Runtime.ResponseStreamAborted', errorMessage: 'the response stream ended without its end' },
        'destroyed',
      );
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function accepted(res: ServerResponse): void {
  res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
}

function refuse(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errorType, errorMessage }));
}

function readJson(req: IncomingMessage, done: (value: unknown) => void): void {
  const chunks: Buffer[] = [];
  let total = 0;
  req.on('data', (chunk: Buffer) => {
    total += chunk.byteLength;
    if (total <= MAX_ERROR_BODY_BYTES) chunks.push(chunk);
  });
  req.once('end', () => {
    try {
      done(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      done(undefined);
    }
  });
}

/** The runtime's error JSON (`formatError`: errorType, errorMessage, trace[]) as the sink's error data. */
export function toErrorData(value: unknown, typeHeader?: string | string[]): FunctionErrorData {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const errorType =
    typeof record.errorType === 'string' ? record.errorType : (headerValue(typeHeader) ?? 'Runtime.UnknownError');
  const errorMessage = typeof record.errorMessage === 'string' ? record.errorMessage : '';
  const trace = Array.isArray(record.trace) ? record.trace.filter((line) => typeof line === 'string') : [];
  return trace.length === 0 ? { errorType, errorMessage } : { errorType, errorMessage, stack: trace.join('\n') };
}

/** `Lambda-Runtime-Function-Error-Body`: base64 of the error JSON. */
export function decodeErrorBody(errorType: string, base64: string | undefined): FunctionErrorData {
  if (base64 === undefined) return { errorType, errorMessage: '' };
  try {
    return toErrorData(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')), errorType);
  } catch {
    return { errorType, errorMessage: '(unreadable Lambda-Runtime-Function-Error-Body)' };
  }
}
