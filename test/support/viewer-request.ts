/**
 * The tests' one raw HTTP/1.1 client (node:http): the request target goes out exactly as written, with exactly
 * the headers given (no fetch additions such as Accept-Encoding), a fresh connection per request unless an agent
 * is given; it never throws, records whether the message ended cleanly (`res.complete`) and can behave like a
 * player that seeks away: destroy its socket after N body bytes. Every outcome comes back as data so a test can
 * run hundreds and check each; `send` and `httpGet` are the two stricter shapes most tests want.
 * (The benchmark's client, bench/support/client.ts, is a keep-alive timing client, and the smoke test's,
 * bin/smoke/http-request.ts, speaks HTTPS to a deployed stack with a bounded read: neither may import tests.)
 */
import http from 'node:http';

export interface ViewerRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** Destroy the socket once this many body bytes arrived (0 = as soon as the status line is in). */
  readonly abortAfterBytes?: number;
  /** Give up (destroy) after this long; a safety net against hangs, reported as `timedOut`. */
  readonly timeoutMs?: number;
  /** Defaults to a fresh connection per request. */
  readonly agent?: http.Agent | false;
}

export interface ViewerResult {
  readonly method: string;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The HTTP framing ended cleanly (node's `res.complete`). */
  readonly complete: boolean;
  /** Header names and values exactly as received, in order. */
  readonly rawHeaders: readonly string[];
  /** The viewer left on purpose (abortAfterBytes). */
  readonly aborted: boolean;
  readonly timedOut: boolean;
  /** Transport error before a status line (connection refused or reset, parse error...). */
  readonly error?: string;
  /** Milliseconds from sending to the first response byte and to the end (measurements only, never asserted). */
  readonly firstByteMs?: number;
  readonly totalMs: number;
}

export function viewerRequest(url: string, options: ViewerRequest = {}): Promise<ViewerResult> {
  const method = options.method ?? 'GET';
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let aborted = false;
    let timedOut = false;
    let firstByteMs: number | undefined;
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const base = {
        method,
        body: Buffer.concat(chunks),
        aborted,
        timedOut,
        totalMs: performance.now() - started,
        ...(firstByteMs === undefined ? {} : { firstByteMs }),
      };
      if (response === undefined) {
        resolve({ ...base, status: 0, headers: {}, rawHeaders: [], complete: false, error: error ?? 'no response' });
      } else {
        resolve({
          ...base,
          status: response.statusCode ?? 0,
          headers: response.headers,
          rawHeaders: response.rawHeaders,
          complete: response.complete,
        });
      }
    };
    // The path goes out exactly as written: WHATWG URL parsing would resolve `/../` and `%2e%2e` before the
    // server ever saw them, and hostile paths are what some tests send.
    const match = /^http:\/\/([^/?#]+)([^#]*)$/.exec(url);
    if (!match) throw new TypeError(`viewerRequest: not an http URL: ${url}`);
    const authority = new URL(`http://${match[1]}`);
    const req = http.request({
      host: authority.hostname.replace(/^\[|\]$/g, ''),
      port: Number(authority.port || 80),
      path: match[2] || '/',
      method,
      headers: { ...options.headers },
      agent: options.agent ?? false,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, options.timeoutMs ?? 30_000);
    const leave = (): void => {
      aborted = true;
      req.destroy();
      finish();
    };
    req.on('error', (error) => finish(error.message));
    req.on('close', () => finish('closed'));
    req.on('response', (res) => {
      response = res;
      firstByteMs = performance.now() - started;
      if (options.abortAfterBytes === 0) {
        leave();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (options.abortAfterBytes !== undefined && received >= options.abortAfterBytes) leave();
      });
      res.on('error', () => {
        // An aborted response: 'close' reports it and res.complete stays false.
      });
      res.on('close', () => finish());
    });
    req.end(options.body);
  });
}

/**
 * Sends `target` (origin-form, e.g. "/a%20b.mp4?x=1") to `baseUrl`'s host and port; rejects only when no
 * response came at all (connection refused, say). A cut response resolves with `complete: false`.
 */
export async function send(baseUrl: string, target: string, init: ViewerRequest = {}): Promise<ViewerResult> {
  // No safety timeout of its own beyond ten minutes: some tests wait for a function timeout on purpose.
  const response = await viewerRequest(`${new URL(baseUrl).origin}${target}`, { timeoutMs: 600_000, ...init });
  if (response.status === 0) throw new Error(`${init.method ?? 'GET'} ${target}: ${response.error ?? 'no response'}`);
  return response;
}

/** A GET whose response must arrive whole: rejects on a transport error, a timeout or a cut body. */
export async function httpGet(
  url: string,
  headers: Readonly<Record<string, string>>,
  options: { readonly method?: string; readonly timeoutMs?: number } = {},
): Promise<ViewerResult> {
  const response = await viewerRequest(url, { ...options, headers });
  if (response.status === 0 || !response.complete || response.timedOut) {
    throw new Error(`${options.method ?? 'GET'} ${url}: ${response.error ?? 'response cut short'}`);
  }
  return response;
}
