/**
 * A raw HTTP/1.1 client over node:http: sends exactly the headers given (no Accept-Encoding or other
 * additions from fetch), and returns status, headers and the complete body as bytes. Used to replay
 * a player's request sequence verbatim.
 */
import { type IncomingHttpHeaders, request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function httpGet(
  url: string,
  headers: Readonly<Record<string, string>>,
  options: { readonly method?: string; readonly timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: { ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      // 'aborted'/'close' before 'end' means the body was cut short: that must fail the caller, not truncate.
      res.once('aborted', () => reject(new Error(`response aborted: ${url}`)));
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`request timed out: ${url}`)));
    req.once('error', reject);
    req.end();
  });
}
