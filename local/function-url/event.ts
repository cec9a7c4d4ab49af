/**
 * HTTP request -> Lambda Function URL event (payload format 2.0). Pure: the server gathers the facts, this
 * shapes them the way the real Function URL does (AWS docs, "Invoking Lambda function URLs" -> "Request payload"):
 *
 * - `rawPath` is the path exactly as sent, still percent-encoded, without the query; Function URLs (unlike
 *   API Gateway HTTP APIs) do not decode it. `requestContext.http.path` carries the same raw path.
 * - `rawQueryString` is the query as sent (no `?`); `queryStringParameters` has decoded names and values,
 *   repeated names joined with "," (absent when there is no query).
 * - Header names are lower-cased and repeated headers joined with ","; `Cookie` headers do not appear in
 *   `headers` but are split into the `cookies` array.
 * - The URL adds `x-forwarded-for` / `-proto` / `-port` and an `x-amzn-trace-id`.
 * - `body` is present only when the request has one: as text for textual content types, otherwise base64
 *   with `isBase64Encoded: true`.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface RequestFacts {
  readonly method: string;
  /** The request target as received (origin-form `/path?query`, rarely absolute-form). */
  readonly target: string;
  /** e.g. "1.1" */
  readonly httpVersion: string;
  /** Node's `rawHeaders`: name, value, name, value... in arrival order, original case. */
  readonly rawHeaders: readonly string[];
  readonly sourceIp: string;
  /** The local port the request arrived on (for x-forwarded-port). */
  readonly localPort: number;
  readonly body: Uint8Array | undefined;
  readonly requestId: string;
  readonly traceId: string;
  readonly receivedAt: Date;
  /** The URL id: `apiId` (on AWS the first label of `<url-id>.lambda-url.<region>.on.aws`). */
  readonly urlId: string;
  /** The scheme the viewer used (x-forwarded-proto): `http` for the local URL (default), `https` on AWS. */
  readonly scheme?: 'http' | 'https';
}

export function toFunctionUrlEvent(request: RequestFacts): APIGatewayProxyEventV2 {
  const { rawPath, rawQueryString } = splitTarget(request.target);
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  headers['x-forwarded-for'] =
    headers['x-forwarded-for'] === undefined ? request.sourceIp : `${headers['x-forwarded-for']}, ${request.sourceIp}`;
  headers['x-forwarded-proto'] = request.scheme ?? 'http';
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-amzn-trace-id'] ??= request.traceId;
  const domainName = hostnameOf(headers.host) ?? 'localhost';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: request.urlId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  const query = parseQuery(rawQueryString);
  if (query !== undefined) event.queryStringParameters = query;
  if (request.body !== undefined && request.body.byteLength > 0) {
    const textual = isTextual(headers['content-type']);
    event.body = Buffer.from(request.body).toString(textual ? 'utf8' : 'base64');
    event.isBase64Encoded = !textual;
  }
  return event;
}

/** Splits a request target into the raw path and raw query, keeping percent-encoding untouched. */
export function splitTarget(target: string): { rawPath: string; rawQueryString: string } {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    // absolute-form (RFC 9112 section 3.2.2): drop scheme and authority; keep the path bytes as sent.
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(target);
    pathAndQuery = match?.[1] ?? '';
  }
  const hash = pathAndQuery.indexOf('#');
  if (hash !== -1) pathAndQuery = pathAndQuery.slice(0, hash);
  const question = pathAndQuery.indexOf('?');
  const rawPath = question === -1 ? pathAndQuery : pathAndQuery.slice(0, question);
  const rawQueryString = question === -1 ? '' : pathAndQuery.slice(question + 1);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQueryString };
}

function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      for (const cookie of value.split(';')) {
        const trimmed = cookie.trim();
        if (trimmed !== '') cookies.push(trimmed);
      }
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeated names joined with ","; undefined when there is no query at all. */
export function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const result: Record<string, string> = {};
  // URLSearchParams never throws on malformed percent-escapes: it keeps them literally.
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = result[name];
    result[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return result;
}

function hostnameOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i;

function isTextual(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXTUAL.test(contentType.trim());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF-style time Function URLs put in `requestContext.time`. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
