import type { HttpPolicy } from './http-policy.ts';
import { noStoreHeaders } from './no-store-headers.ts';
import type { BodylessPlan, RequestFacts, TextPlan } from './types.ts';

/** Error texts are short sentences; anything longer is cut so an error can never be a large response. */
const MAX_MESSAGE_CHARS = 300;

/**
 * An error answer (400, 403, 404, 5xx...) with the same base headers as every other answer: a short
 * `text/plain; charset=utf-8` body, `Cache-Control: no-store` (an error must not be cached in place of the
 * object), nosniff and CORS, so a cross-origin player can read the status instead of seeing a CORS failure.
 *
 * The message is sent as given, minus control characters (replaced by spaces) and cut to 300 characters;
 * callers must not put secrets or raw request bytes in it. `extraHeaders` (names lower-cased) are added last,
 * e.g. `retry-after`; values with CR or LF are refused. HEAD gets the same headers and no body (RFC 9110 9.3.2).
 */
export function planError(
  status: number,
  message: string,
  request: RequestFacts,
  policy: Pick<HttpPolicy, 'cors'>,
  extraHeaders: Readonly<Record<string, string>> = {},
): TextPlan | BodylessPlan {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`planError needs a 4xx or 5xx status, got ${String(status)}`);
  }
  const text = `${[...message.replace(/\p{Cc}/gu, ' ')].slice(0, MAX_MESSAGE_CHARS).join('')}\n`;
  const headers: Record<string, string> = {
    ...noStoreHeaders(request, policy.cors),
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text, 'utf8')),
  };
  for (const [name, value] of Object.entries(extraHeaders)) {
    if (/[\r\n]/.test(value)) throw new RangeError(`header ${name} has a CR or LF in its value`);
    headers[name.toLowerCase()] = value;
  }
  if (request.method === 'HEAD') return { status, headers, body: { kind: 'none' } };
  return { status, headers, body: { kind: 'text', text } };
}
