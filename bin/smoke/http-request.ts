/**
 * One HTTP request the way a player makes it: a fresh connection, exact headers (no automatic
 * Accept-Encoding, no decompression, no redirects followed), and a bounded body read (the smoke test must
 * never download a whole movie because an origin ignored a Range).
 */
import http from 'node:http';
import https from 'node:https';

export interface SmokeRequest {
  readonly method: 'GET' | 'HEAD' | 'OPTIONS';
  readonly headers: Readonly<Record<string, string>>;
  /** Stop reading (and close the connection) after this many body bytes. */
  readonly maxBodyBytes: number;
}

export interface SmokeResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** true when the body was longer than maxBodyBytes and the read was cut short. */
  readonly truncated: boolean;
  readonly elapsedMs: number;
}

export type RequestFn = (url: URL, request: SmokeRequest) => Promise<SmokeResponse>;

/** The real transport, over node:http / node:https, with a per-request deadline. */
export function createHttpRequest(timeoutMs: number): RequestFn {
  return (url, request) =>
    new Promise<SmokeResponse>((resolve, reject) => {
      const started = performance.now();
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, { method: request.method, headers: { ...request.headers }, agent: false });
      const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
      req.once('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        let truncated = false;
        const finish = (): void => {
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks, Math.min(length, request.maxBodyBytes)).subarray(0, request.maxBodyBytes),
            truncated,
            elapsedMs: performance.now() - started,
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length > request.maxBodyBytes && !truncated) {
            truncated = true;
            // Enough: drop the connection like a player that has what it needs.
            res.destroy();
            finish();
          }
        });
        res.once('end', () => {
          if (!truncated) finish();
        });
        res.once('error', (error) => {
          if (truncated) return;
          clearTimeout(deadline);
          reject(error);
        });
      });
      req.end();
    });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
