/**
 * Builds Lambda Function URL events (payload format 2.0) the way the service does: `rawPath` still
 * percent-encoded, `rawQueryString` without "?", header names lower-case with repeated headers joined by ",",
 * `queryStringParameters` decoded, `requestContext.http` carrying method, path, source IP and user agent.
 * (AWS Lambda docs, "Invoking Lambda function URLs", request payload format.)
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export interface FunctionUrlEventInput {
  readonly method?: string;
  /** Path as the viewer sent it (percent-encoded), starting with "/". */
  readonly path?: string;
  /** Header names in any case; arrays are joined with "," as the Function URL does. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Raw query string (no "?") or parameters to encode. */
  readonly query?: string | Readonly<Record<string, string>>;
  readonly requestId?: string;
  readonly sourceIp?: string;
}

export function functionUrlEvent(input: FunctionUrlEventInput = {}): LambdaFunctionURLEvent {
  const method = input.method ?? 'GET';
  const rawPath = input.path ?? '/';
  const headers: Record<string, string> = { host: 'abcdefghij.lambda-url.us-east-1.on.aws' };
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',');
  }
  const rawQueryString =
    typeof input.query === 'string' ? input.query : new URLSearchParams(input.query ?? {}).toString();
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = queryStringParameters[name];
    queryStringParameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: headers.host ?? 'abcdefghij.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghij',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? 'test',
      },
      requestId: input.requestId ?? 'test-request-id',
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}
