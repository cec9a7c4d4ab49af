/**
 * Lambda Function URL events (payload format 2.0) for tests that invoke the handler in-process, shaped by the
 * local Function URL's own translation (local/function-url/event.ts: `rawPath` still percent-encoded,
 * `rawQueryString` without "?", header names lower-case with repeated headers joined by ",", cookies split into
 * `cookies`, `queryStringParameters` decoded, the `x-forwarded-*` headers the service adds) as a request to a
 * deployed URL over HTTPS. (AWS Lambda docs, "Invoking Lambda function URLs", request payload format.)
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { toFunctionUrlEvent } from '../../local/function-url/event.ts';

export interface FunctionUrlEventInput {
  readonly method?: string;
  /**
   * Path as the viewer sent it (percent-encoded), starting with "/". Taken verbatim as `rawPath`, even where a
   * real URL could not carry it (hostile-input tests send "#" and "?" in it).
   */
  readonly path?: string;
  /** Header names in any case; arrays are joined with "," as the Function URL does. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Raw query string (no "?") or parameters to encode. */
  readonly query?: string | Readonly<Record<string, string>>;
  readonly requestId?: string;
  readonly sourceIp?: string;
}

const URL_ID = 'abcdefghij';
const DEFAULT_HOST = `${URL_ID}.lambda-url.us-east-1.on.aws`;

export function functionUrlEvent(input: FunctionUrlEventInput = {}): LambdaFunctionURLEvent {
  const rawPath = input.path ?? '/';
  const rawQueryString =
    typeof input.query === 'string' ? input.query : new URLSearchParams(input.query ?? {}).toString();
  const given = Object.entries(input.headers ?? {});
  const rawHeaders = given.some(([name]) => name.toLowerCase() === 'host') ? [] : ['host', DEFAULT_HOST];
  for (const [name, value] of given) rawHeaders.push(name, typeof value === 'string' ? value : value.join(','));
  const receivedAt = new Date();
  const event = toFunctionUrlEvent({
    method: input.method ?? 'GET',
    target: rawQueryString === '' ? '/' : `/?${rawQueryString}`,
    httpVersion: '1.1',
    rawHeaders,
    sourceIp: input.sourceIp ?? '127.0.0.1',
    localPort: 443,
    body: undefined,
    requestId: input.requestId ?? 'test-request-id',
    traceId: `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${'0'.repeat(24)}`,
    receivedAt,
    urlId: URL_ID,
    scheme: 'https',
  });
  return {
    ...event,
    rawPath,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path: rawPath } },
  } as LambdaFunctionURLEvent;
}
