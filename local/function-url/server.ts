/**
 * A local Lambda Function URL (AuthType NONE, InvokeMode RESPONSE_STREAM) in front of a streaming handler module.
 *
 * It only translates, it has no media logic: HTTP request -> payload 2.0 event (./event.ts) -> the
 * handler, run by one of two runtimes behind one seam (local/runtimes/runtime.ts: the in-house emulation in
 * local/runtimes/emulated/, or AWS's runtime interface client on the synthesized bundle in local/runtimes/aws-ric/)
 * -> wire format parsed back into the viewer's response (./viewer-response.ts).
 *
 * Platform behaviour reproduced, and where it was a choice, the stricter reading (docs/local-stack.md):
 * request payload over 6 MB -> 413; every method reaches the function; the streamed payload limit cuts the
 * transfer (default 200 MiB); Content-Length is remapped and the body sent chunked; errors before the first byte
 * -> 502, after it -> connection cut; a stream never ended runs into the function timeout.
 * One deliberate difference: when the viewer disconnects, Lambda tells the function nothing (it streams on until
 * done), while here the handler's stream is destroyed at once so its S3 body is released.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactText, redactUrl } from '../../lambda/observability/redact.ts';
import { formatHostForUrl } from '../net.ts';
import type { FunctionRuntime, Invocation } from '../runtimes/runtime.ts';
import { type RuntimeSelection, startFunctionRuntime } from '../runtimes/select.ts';
import { toFunctionUrlEvent } from './event.ts';
import { buildExchangeRecord, type ExchangeRecord } from './exchange-record.ts';
import { ViewerResponse } from './viewer-response.ts';

export interface FunctionUrlOptions {
  /** The handler module (a file URL), e.g. new URL('../../lambda/handler.ts', import.meta.url). */
  readonly handlerModule: URL;
  /** Export name (default "handler"). */
  readonly handlerExport?: string;
  /** The function's environment variables (its whole process.env; nothing is inherited). */
  readonly env?: Readonly<Record<string, string>>;
  readonly host?: string;
  /** default 0 (ephemeral) */
  readonly port?: number;
  /** Streamed response payload limit in bytes (default 200 MiB, Lambda's documented maximum). */
  readonly maxPayloadBytes?: number;
  /** Request payload limit in bytes (default 6 MB, Lambda's synchronous invocation payload limit). */
  readonly maxRequestBytes?: number;
  /** Function timeout in ms (default 900000, Lambda's maximum). */
  readonly timeoutMs?: number;
  readonly functionName?: string;
  readonly memoryLimitInMB?: number;
  /**
   * Bytes one response may have in flight between the function and the viewer socket (default 1 MiB). A bound,
   * so a slow viewer slows the S3 read instead of the stack buffering the object (test/integration/large-object
   * bounds the stack's memory while streaming more than that); well below what the real runtime client's path
   * buffers.
   */
  readonly flowWindowBytes?: number;
  /** Where the URL's own diagnostics go (default: stderr). */
  readonly log?: (line: string) => void;
  /** Which runtime runs the handler (default `{ mode: 'emulation' }`; see local/runtimes/select.ts). */
  readonly runtime?: RuntimeSelection;
  /**
   * Observer: called once per request when its response is over, with what was asked and what the viewer got
   * (function-url/exchange-record.ts; the demo page's request log). Its exceptions are logged, never served.
   */
  readonly onExchange?: (record: ExchangeRecord) => void;
}

export interface FunctionUrl {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:3000/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 200 * 1024 * 1024;
export const DEFAULT_MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 900_000;
const DEFAULT_FLOW_WINDOW_BYTES = 1024 * 1024;

const KNOWN_OPTIONS = new Set([
  'handlerModule',
  'handlerExport',
  'env',
  'host',
  'port',
  'maxPayloadBytes',
  'maxRequestBytes',
  'timeoutMs',
  'functionName',
  'memoryLimitInMB',
  'flowWindowBytes',
  'log',
  'runtime',
  'onExchange',
]);

export async function startFunctionUrl(options: FunctionUrlOptions): Promise<FunctionUrl> {
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`startFunctionUrl: unknown option "${name}"`);
  }
  const host = options.host ?? '127.0.0.1';
  const maxPayloadBytes = positiveInteger(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, 'maxPayloadBytes');
  const maxRequestBytes = positiveInteger(options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes');
  const timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const functionName = options.functionName ?? 'media-origin-local';
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Every diagnostic of the URL and of the runtime behind it goes out through here: the request target, an
  // error's message or stack may carry a signed URL's or a presigned redirect's signature.
  const log = (line: string): void => sink(redactText(line));
  if (options.onExchange !== undefined && typeof options.onExchange !== 'function') {
    throw new TypeError(`onExchange must be a function, got ${typeof options.onExchange}`);
  }
  const onExchange = options.onExchange;
  const environment: FunctionRuntime = await startFunctionRuntime(options.runtime ?? { mode: 'emulation' }, {
    handlerModule: options.handlerModule,
    handlerExport: options.handlerExport ?? 'handler',
    env: options.env ?? {},
    functionName,
    memoryLimitInMB: positiveInteger(options.memoryLimitInMB ?? 1024, 'memoryLimitInMB'),
    flowWindowBytes: positiveInteger(options.flowWindowBytes ?? DEFAULT_FLOW_WINDOW_BYTES, 'flowWindowBytes'),
    log,
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(
        `[function-url] unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent) {
        res.writeHead(500).end();
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = new Date();
    const startedAt = performance.now();
    const requestId = randomUUID();
    // An X-Ray trace id: epoch seconds in hex, then 24 hex digits
    // (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids).
    const traceId = `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(8)}`;
    const tag = (message: string): void =>
      log(`[function-url] ${req.method} ${redactUrl(req.url ?? '/')} ${requestId}: ${message}`);
    let invocation: Invocation | undefined;
    const viewer = new ViewerResponse({
      res,
      url: { requestId, traceId },
      maxPayloadBytes,
      abortInvocation: (reason) => invocation?.abort(reason),
      log: tag,
    });
    if (onExchange !== undefined) {
      viewer.onSettled((outcome) => {
        const sent = viewer.sent;
        const record = buildExchangeRecord({
          requestId,
          receivedAt,
          method: req.method ?? 'GET',
          target: req.url ?? '/',
          requestHeaders: req.headers,
          statusCode: sent.statusCode,
          responseHeaders: sent.headers,
          bodyBytes: sent.bodyBytes,
          firstByteMs: sent.headSentAt === undefined ? undefined : sent.headSentAt - startedAt,
          durationMs: performance.now() - startedAt,
          outcome,
        });
        try {
          onExchange(record);
        } catch (error) {
          tag(`onExchange observer failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    }

    const body = await readBody(req, maxRequestBytes);
    if (body === 'too-large') {
      res.shouldKeepAlive = false;
      viewer.refuse(413, 'RequestEntityTooLargeException', `request body over ${maxRequestBytes} bytes -> 413`);
      return;
    }
    if (body === 'aborted') return;
    const event = toFunctionUrlEvent({
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      httpVersion: req.httpVersion,
      rawHeaders: req.rawHeaders,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      localPort: req.socket.localPort ?? 0,
      body,
      requestId,
      traceId,
      receivedAt,
      urlId: 'local',
    });
    if (Buffer.byteLength(JSON.stringify(event)) > maxRequestBytes) {
      viewer.refuse(413, 'RequestEntityTooLargeException', `event over ${maxRequestBytes} bytes -> 413`);
      return;
    }
    const deadlineMs = receivedAt.getTime() + timeoutMs;
    // The invocation lasts until the handler settled AND the viewer's response did; the timeout covers both,
    // so a handler that ends its stream but never resolves is still reported (and released) at the deadline.
    let handlerSettled = false;
    let viewerSettled = false;
    const timer = setTimeout(() => {
      invocation?.abort('timeout');
      viewer.fail(
        { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${timeoutMs} ms` },
        'Sandbox.Timedout',
      );
    }, timeoutMs);
    timer.unref();
    const settle = (): void => {
      if (handlerSettled && viewerSettled) clearTimeout(timer);
    };
    viewer.onSettled((outcome) => {
      viewerSettled = true;
      // A cut or refused response aborted the invocation: nothing more will come from it.
      if (outcome !== 'complete') handlerSettled = true;
      settle();
    });
    invocation = environment.invoke(
      event,
      { awsRequestId: requestId, deadlineMs, traceId },
      {
        open: (contentType) => viewer.open(contentType),
        data: (chunk, ack, release) => viewer.data(chunk, ack, release),
        end: () => viewer.end(),
        fail: (error) => {
          handlerSettled = true;
          viewer.fail(error);
          settle();
        },
        resolved: () => {
          handlerSettled = true;
          settle();
        },
      },
    );
    if (viewer.settled) invocation.abort('viewer-gone');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${formatHostForUrl(host)}:${port}/`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([closed, environment.close()]);
      })();
      return closing;
    },
  };
}

/** Reads the request body up to `limit` bytes; undefined when there is none. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // drain, so the 413 can be read by the client
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.byteLength;
      if (total > limit) {
        req.off('data', onData);
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(total === 0 ? undefined : Buffer.concat(chunks, total)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
