/**
 * A raw HTTP/1.1 client for the local-stack tests: node:http, no connection reuse, the request target sent
 * exactly as given (no URL normalisation, so `%2e%2e` and odd keys reach the server as written), and a result
 * that says whether the response ended properly (`complete`) or the connection was cut.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** false when the connection ended before the terminating chunk / declared length. */
  readonly complete: boolean;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

/** Sends `target` (origin-form, e.g. "/a%20b.mp4?x=1") to `baseUrl`'s host and port. */
export function send(baseUrl: string, target: string, init: RawRequest = {}): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port,
        method: init.method ?? 'GET',
        path: target,
        headers: init.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let cut = false;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('aborted', () => {
          cut = true;
        });
        res.on('error', () => {
          cut = true;
        });
        res.on('close', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            complete: res.complete && !cut,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Splits a multipart/byteranges body (RFC 9110 section 14.6) into parts with their headers. */
export function parseByteranges(
  contentType: string,
  body: Buffer,
): Array<{ headers: Record<string, string>; data: Buffer }> {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType);
  if (match?.[2] === undefined) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${match[2]}`);
  const parts: Array<{ headers: Record<string, string>; data: Buffer }> = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
    if (headerEnd === -1 || next === -1) throw new Error('truncated multipart body');
    const headers: Record<string, string> = {};
    for (const line of body
      .subarray(afterDelimiter + 2, headerEnd)
      .toString('latin1')
      .split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}
