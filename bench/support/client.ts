/**
 * The one HTTP client every path is measured with: node:http with a keep-alive agent (one agent per path, same
 * settings), so differences between paths are what sits behind the URL, not the client. Times come from
 * performance.now() (monotonic, sub-millisecond).
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Every request carries a desktop Chrome User-Agent: the bench plays the part of a browser's media element, and
 * the handler caps open-ended `bytes=N-` answers only for clients known to follow short 206s
 * (lambda/http/follows-short-ranges.ts). Same header on every path.
 */
export const PLAYER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

export interface TimedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: number;
  /** ms from issuing the request to the response head. */
  readonly headersMs: number;
  /** ms from issuing the request to the first body byte (= headersMs when there is no body). */
  readonly firstByteMs: number;
  /** ms from issuing the request to the end of the body. */
  readonly totalMs: number;
}

export interface GetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Called with every body chunk and its offset within the body (for byte checks). */
  readonly onChunk?: (chunk: Buffer, offset: number) => void;
  /** Abort if the whole exchange takes longer (a stuck path fails the bench loudly instead of hanging it). */
  readonly timeoutMs?: number;
}

export class HttpClient {
  readonly #agent: Agent;

  constructor(maxSockets: number) {
    // keepAlive like any player or CDN; maxSockets above the concurrency used so no request queues in the client.
    this.#agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  get(url: string, options: GetOptions = {}): Promise<TimedResponse> {
    return this.#get(url, options, false);
  }

  /**
   * A keep-alive socket the server closed while it sat idle (Node servers close them after 5 s) can be picked for
   * the next request before its FIN is processed, most often on a loaded machine: the request then fails with
   * ECONNRESET before any response. Like browsers and Node's own guidance (`request.reusedSocket`), such a GET is
   * retried once on a new socket; any other failure fails the bench.
   */
  #get(url: string, options: GetOptions, retried: boolean): Promise<TimedResponse> {
    const { headers = {}, onChunk, timeoutMs = 120_000 } = options;
    return new Promise((resolve, reject) => {
      const start = performance.now();
      let headersMs = 0;
      let firstByteMs = 0;
      let bytes = 0;
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
        req.destroy();
      };
      const req = request(
        url,
        { agent: this.#agent, headers: { 'user-agent': PLAYER_USER_AGENT, ...headers } },
        (res) => {
          headersMs = performance.now() - start;
          res.on('data', (chunk: Buffer) => {
            if (bytes === 0) firstByteMs = performance.now() - start;
            try {
              onChunk?.(chunk, bytes);
            } catch (error) {
              fail(new Error(`GET ${url}: body check failed at byte ${bytes}`, { cause: error }));
              return;
            }
            bytes += chunk.length;
          });
          res.on('end', () => {
            const totalMs = performance.now() - start;
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              bytes,
              headersMs,
              firstByteMs: bytes === 0 ? headersMs : firstByteMs,
              totalMs,
            });
          });
          res.on('error', (error) =>
            fail(new Error(`GET ${url} failed mid-body after ${bytes} bytes`, { cause: error })),
          );
        },
      );
      const timer = setTimeout(() => fail(new Error(`GET ${url} took longer than ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && !settled && headersMs === 0 && req.reusedSocket && error.code === 'ECONNRESET') {
          settled = true;
          clearTimeout(timer);
          resolve(this.#get(url, options, true));
          return;
        }
        fail(new Error(`GET ${url} failed`, { cause: error }));
      });
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
