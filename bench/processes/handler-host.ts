/**
 * Diagnostic path "handler": the DEPLOYABLE bundle (built as the CDK NodejsFunction builds it) served from a
 * single Node isolate, its response stream written straight to the viewer's socket — the shape of the real
 * runtime, which writes the stream to the Runtime API from the handler's own thread. The local Function URL
 * (the "product" path) runs the handler in a worker thread and copies every chunk across threads; comparing
 * the two separates what the handler costs from what the local emulation costs.
 *
 * Like the Function URL, it sends the prelude's status and headers, renames Content-Length to
 * x-amzn-Remapped-Content-Length and streams the body chunked. No payload limit, no timeout: it is a meter,
 * not an emulator (local/function-url/server.ts is the faithful one).
 *
 * `node bench/processes/handler-host.ts --bundle FILE` with the function's environment from the parent.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { toFunctionUrlEvent } from '../../local/function-url/event.ts';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import type { BeforeFirstWrite } from '../../local/runtimes/emulated/http-response-stream.ts';
import { lambdaContext } from '../../local/runtimes/emulated/lambda-context.ts';
import { serveUntilClosed } from '../support/child.ts';

interface Prelude {
  readonly statusCode?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
}

/**
 * The handler's response stream, with the runtime's two members (setContentType, _onBeforeFirstWrite): the
 * first write runs the hook, whose output (prelude JSON + 8 NULs) becomes the viewer's status and headers;
 * body bytes follow with backpressure.
 */
class ViewerStream extends Writable {
  readonly #res: ServerResponse;
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  #headSent = false;

  constructor(res: ServerResponse) {
    super();
    this.#res = res;
  }

  setContentType(_type: string): void {}

  get headSent(): boolean {
    return this.#headSent;
  }

  #prelude(): Prelude {
    const early: Buffer[] = [];
    this._onBeforeFirstWrite?.((chunk) => early.push(Buffer.from(chunk)));
    const wire = Buffer.concat(early);
    const end = wire.indexOf(0);
    return end > 0 ? (JSON.parse(wire.subarray(0, end).toString('utf8')) as Prelude) : {};
  }

  #sendHead(): void {
    if (this.#headSent) return;
    this.#headSent = true;
    const prelude = this.#prelude();
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(prelude.headers ?? {})) {
      headers[name.toLowerCase() === 'content-length' ? 'x-amzn-remapped-content-length' : name] = value;
    }
    if (prelude.cookies && prelude.cookies.length > 0) headers['set-cookie'] = [...prelude.cookies];
    if (prelude.statusCode === undefined) headers['content-type'] ??= 'application/octet-stream';
    this.#res.writeHead(prelude.statusCode ?? 200, headers);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#sendHead();
    if (chunk.length === 0 || this.#res.write(chunk)) callback();
    else this.#res.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#sendHead();
    this.#res.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#res.writableFinished) this.#res.destroy();
    callback(error);
  }
}

type Handler = (event: unknown, stream: ViewerStream, context: unknown) => Promise<unknown>;

const { values } = parseArgs({ options: { bundle: { type: 'string' } }, strict: true });
if (!values.bundle) throw new Error('usage: node bench/processes/handler-host.ts --bundle FILE');

installAwsLambdaGlobal();
const mod: unknown = await import(pathToFileURL(values.bundle).href);
const handler = (mod as { handler?: unknown }).handler;
if (typeof handler !== 'function') throw new Error(`${values.bundle} exports no handler function`);
const invoke = handler as Handler;

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const event = toFunctionUrlEvent({
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    localPort: req.socket.localPort ?? 0,
    body: undefined,
    requestId,
    traceId: `Root=1-00000000-${requestId.replaceAll('-', '').slice(0, 24)}`,
    receivedAt: new Date(),
    urlId: 'bench',
  });
  const context = lambdaContext({ awsRequestId: requestId, deadlineMs: Date.now() + 900_000, logStreamName: 'bench' });
  const stream = new ViewerStream(res);
  res.once('close', () => {
    if (!res.writableFinished) stream.destroy();
  });
  try {
    await invoke(event, stream, context);
  } catch (error) {
    // The runtime would report this as a function error; here it goes to the host's log (bench/results/).
    console.error('handler failed:', error);
    if (!stream.headSent) res.writeHead(502).end();
    else res.destroy();
  }
}

const server = createServer((req, res) => {
  req.resume();
  void serve(req, res);
});
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
serveUntilClosed(
  `http://127.0.0.1:${port}/`,
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
