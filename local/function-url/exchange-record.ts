/**
 * One request to the local Function URL and what its viewer got, as the demo page's request log shows it
 * (someone debugging a player sees what it asked for and what came back, browsers and non-browser
 * clients alike). Pure: ./server.ts gathers the facts, this shapes them.
 *
 * Nothing secret goes in: no cookies, no Authorization, the values of signing parameters in the query
 * (CloudFront's Signature/Policy/Key-Pair-Id, SigV4's X-Amz-Signature/Credential/Security-Token) are replaced
 * (lambda/observability/redact.ts, the redaction every log line of the project goes through),
 * and a redirect (307 to a presigned S3 URL) is shown as its origin and path only, never its query.
 */
import { redactUrl } from '../../lambda/observability/redact.ts';
import type { Outcome } from './viewer-response.ts';

export interface ExchangeFacts {
  readonly requestId: string;
  /** When the request arrived (wall clock). */
  readonly receivedAt: Date;
  readonly method: string;
  /** The request target as received: path and query. */
  readonly target: string;
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  /** Status sent to the viewer; undefined when no head went out (the viewer left first). */
  readonly statusCode: number | undefined;
  /** Response headers sent to the viewer (lower-case names). */
  readonly responseHeaders: Readonly<Record<string, string | undefined>>;
  /** Body bytes written to the viewer. */
  readonly bodyBytes: number;
  /** Milliseconds from arrival to the head going out; undefined when none did. */
  readonly firstByteMs: number | undefined;
  /** Milliseconds from arrival to the end of the exchange. */
  readonly durationMs: number;
  readonly outcome: Outcome;
}

export interface ExchangeRecord {
  readonly id: string;
  /** ISO 8601 time the request arrived. */
  readonly time: string;
  readonly method: string;
  /** Path and query, signing values redacted. */
  readonly path: string;
  readonly range: string | null;
  readonly ifRange: string | null;
  readonly status: number | null;
  readonly contentRange: string | null;
  /** The length the function declared (Function URLs rename Content-Length: x-amzn-Remapped-Content-Length). */
  readonly declaredLength: number | null;
  readonly contentType: string | null;
  /** Where a 3xx sent the viewer: origin and path only (a presigned URL's query is its signature). */
  readonly redirectedTo: string | null;
  readonly bytes: number;
  readonly firstByteMs: number | null;
  readonly durationMs: number;
  /** complete, error-response (a 4xx/5xx or the URL's own 502), cut (incomplete on purpose), viewer-gone. */
  readonly outcome: Outcome;
  readonly userAgent: string | null;
}

export function buildExchangeRecord(facts: ExchangeFacts): ExchangeRecord {
  const declared = facts.responseHeaders['x-amzn-remapped-content-length'] ?? facts.responseHeaders['content-length'];
  const declaredLength = declared === undefined || !/^\d+$/.test(declared) ? null : Number(declared);
  return {
    id: facts.requestId,
    time: facts.receivedAt.toISOString(),
    method: facts.method,
    path: redactUrl(facts.target),
    range: header(facts.requestHeaders, 'range'),
    ifRange: header(facts.requestHeaders, 'if-range'),
    status: facts.statusCode ?? null,
    contentRange: facts.responseHeaders['content-range'] ?? null,
    declaredLength,
    contentType: facts.responseHeaders['content-type'] ?? null,
    redirectedTo: redirectTarget(facts.statusCode, facts.responseHeaders.location),
    bytes: facts.bodyBytes,
    firstByteMs: facts.firstByteMs === undefined ? null : round(facts.firstByteMs),
    durationMs: round(facts.durationMs),
    outcome: facts.outcome,
    userAgent: header(facts.requestHeaders, 'user-agent'),
  };
}

function redirectTarget(status: number | undefined, location: string | undefined): string | null {
  if (status === undefined || status < 300 || status > 399 || location === undefined) return null;
  try {
    const url = new URL(location);
    return `${url.origin}${url.pathname}`;
  } catch {
    // A relative Location: its path only.
    return location.split('?')[0] ?? null;
  }
}

function header(headers: ExchangeFacts['requestHeaders'], name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
