import { type CorsPolicy, corsHeaders } from './cors-headers.ts';
import { planMethodNotAllowed } from './plan-method-not-allowed.ts';
import type { BodylessPlan, RequestFacts } from './types.ts';

/** The request headers a player may send cross-origin: Range and every validator it may echo back. */
export const ALLOWED_REQUEST_HEADERS =
  'Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since';

/** One day; browsers cap it lower (Chromium 2 h, Firefox 24 h), which is fine. */
const PREFLIGHT_MAX_AGE_SECONDS = '86400';

/**
 * Answer an OPTIONS request.
 *
 * CORS on: 204 with `Allow: GET, HEAD, OPTIONS` (RFC 9110 9.3.7) and the same CORS headers as any answer
 * (corsHeaders). When it is a preflight (Access-Control-Request-Method present) from an allowed Origin, also
 * the grant: Allow-Methods `GET, HEAD, OPTIONS`, Allow-Headers (the fixed list above; header names match
 * case-insensitively, so requested names need not be echoed), Max-Age 86400.
 * A disallowed or missing Origin gets the same 204 WITHOUT any Access-Control-Allow-* header: the browser
 * then refuses the request and its console names the missing Access-Control-Allow-Origin header, which is
 * the most direct diagnosis. (A 403 would say "preflight does not have HTTP ok status", which is vaguer.)
 * No Content-Length: a 204 MUST NOT carry one (RFC 9110 8.6).
 *
 * CORS off (policy undefined): OPTIONS is not offered at all, so it is a 405 like any other method.
 */
export function planPreflight(request: RequestFacts, policy: CorsPolicy | undefined): BodylessPlan {
  if (policy === undefined) return planMethodNotAllowed(request, { cors: undefined });
  const headers: Record<string, string> = {
    allow: 'GET, HEAD, OPTIONS',
    'x-content-type-options': 'nosniff',
    ...corsHeaders(request, policy),
  };
  const allowed = headers['access-control-allow-origin'] !== undefined;
  if (allowed && request.headers['access-control-request-method'] !== undefined) {
    headers['access-control-allow-methods'] = 'GET, HEAD, OPTIONS';
    headers['access-control-allow-headers'] = ALLOWED_REQUEST_HEADERS;
    headers['access-control-max-age'] = PREFLIGHT_MAX_AGE_SECONDS;
  }
  return { status: 204, headers, body: { kind: 'none' } };
}
