/**
 * The response head a viewer gets from a streaming Function URL, derived from the handler's prelude. Pure.
 *
 * What the real Function URL does, and what this reproduces (docs/local-stack.md):
 * - `statusCode`, `headers` and `cookies` become the status line, header fields and Set-Cookie fields.
 * - A handler-set `Content-Length` is not forwarded: it is renamed `x-amzn-Remapped-Content-Length` and the
 *   body goes out chunked (cargo-lambda #862). Nothing downstream may rely on Content-Length; Content-Range
 *   carries the lengths players need.
 * - A handler-set `Content-Encoding` is removed and the body decoded (runtime interface client #96).
 * - Hop-by-hop fields (RFC 9110 section 7.6.1) belong to the URL's own connection, never to the handler.
 * - The URL adds `x-amzn-RequestId` and `X-Amzn-Trace-Id`; Node adds `Date`.
 * Anything malformed (a status outside 200-599, headers that are not an object of scalars, cookies that are not
 * strings) is answered as the platform answers a broken function response: 502 (stricter reading, see docs/local-stack.md).
 */

export type ContentDecoding = 'gzip' | 'deflate' | 'br';

export interface ViewerHead {
  readonly statusCode: number;
  /** Header fields in order, names as the handler spelled them; Set-Cookie may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** When set, the body must be decoded with this coding before it reaches the viewer. */
  readonly decode?: ContentDecoding;
}

export type HeadResult =
  | { readonly ok: true; readonly head: ViewerHead }
  | { readonly ok: false; readonly reason: string };

export interface UrlHeaders {
  readonly requestId: string;
  readonly traceId: string;
}

/** RFC 9110 section 7.6.1 hop-by-hop fields, plus Transfer-Encoding / Trailer / TE which the URL owns. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
/** RFC 9110 section 5.1 field-name = token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110 section 5.5: no CR, LF or NUL in a field value. */
const UNSAFE_VALUE = /[\r\n\0]/;

export function headFromPrelude(prelude: Readonly<Record<string, unknown>>, url: UrlHeaders): HeadResult {
  const status = prelude.statusCode ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return { ok: false, reason: `prelude statusCode ${JSON.stringify(status)} is not an integer 200-599` };
  }
  const headers: Array<readonly [string, string]> = [];
  let decode: ContentDecoding | undefined;
  const declared = prelude.headers ?? {};
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    return { ok: false, reason: 'prelude headers is not an object' };
  }
  for (const [name, raw] of Object.entries(declared)) {
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      return { ok: false, reason: `prelude header "${name}" is not a string` };
    }
    const value = String(raw);
    if (!TOKEN.test(name) || UNSAFE_VALUE.test(value)) {
      return { ok: false, reason: `prelude header "${name}" is not a valid HTTP field` };
    }
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'x-amzn-requestid' || lower === 'date') continue;
    if (lower === 'content-length') {
      headers.push(['x-amzn-Remapped-Content-Length', value]);
    } else if (lower === 'content-encoding') {
      decode = decodingFor(value);
    } else {
      headers.push([name, value]);
    }
  }
  const cookies = prelude.cookies ?? [];
  if (!Array.isArray(cookies)) return { ok: false, reason: 'prelude cookies is not an array' };
  for (const cookie of cookies) {
    if (typeof cookie !== 'string' || UNSAFE_VALUE.test(cookie)) {
      return { ok: false, reason: 'prelude cookies must be strings without CR/LF' };
    }
    headers.push(['Set-Cookie', cookie]);
  }
  headers.push(...urlHeaders(url));
  return {
    ok: true,
    head: decode === undefined ? { statusCode: status, headers } : { statusCode: status, headers, decode },
  };
}

/** A stream that never went through HttpResponseStream.from(): 200 with the stream's own content type. */
export function headWithoutPrelude(contentType: string, url: UrlHeaders): ViewerHead {
  return { statusCode: 200, headers: [['Content-Type', contentType], ...urlHeaders(url)] };
}

/**
 * from() followed by end() without a single write emits no prelude at all (the prelude is written on the first
 * write): the platform then answers 200 without any header the handler set (https://github.com/middyjs/middy/issues/1189).
 */
export function headForEmptyIntegrationStream(url: UrlHeaders): ViewerHead {
  return { statusCode: 200, headers: urlHeaders(url) };
}

/**
 * What the viewer gets when the invocation fails before the response head (function error, timeout, crash) or
 * the request is refused (413): a JSON error in the style of Lambda's own error responses. The exact text the
 * real Function URL sends is not documented; tests assert only the status and that it is JSON.
 */
export function errorHead(statusCode: number, errorType: string, url: UrlHeaders): ViewerHead {
  return {
    statusCode,
    headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', errorType], ...urlHeaders(url)],
  };
}

export function errorBody(statusCode: number): string {
  return JSON.stringify({ Message: statusCode === 413 ? 'Request Entity Too Large' : 'Internal Server Error' });
}

function urlHeaders(url: UrlHeaders): Array<readonly [string, string]> {
  return [
    ['x-amzn-RequestId', url.requestId],
    ['X-Amzn-Trace-Id', url.traceId],
  ];
}

function decodingFor(value: string): ContentDecoding | undefined {
  const coding = value.trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  if (coding === 'br') return 'br';
  // identity or an unknown coding: the header is dropped and the bytes pass as they are.
  return undefined;
}
