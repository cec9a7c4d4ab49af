import type { RequestFacts } from './types.ts';

/**
 * Which origins may read responses cross-origin: `'*'` (any, no credentials) or an exact list of serialized
 * origins (`https://player.example`, scheme + host + port as a browser sends them in `Origin`).
 * Undefined where a policy is optional means CORS is off: no CORS header is ever sent.
 */
export interface CorsPolicy {
  readonly allowedOrigins: '*' | readonly string[];
  /**
   * Send `Access-Control-Allow-Credentials: true` to allowed origins, so a cross-origin player may send cookies
   * (CloudFront signed cookies). Only with an explicit origin list: the Fetch standard forbids it with `*`,
   * and the configuration refuses that combination.
   */
  readonly allowCredentials?: boolean;
}

/**
 * Response headers a cross-origin player needs to read: the byte range it got and the validators it will
 * send back (Content-Length is safelisted already; listing it costs nothing and helps old engines).
 */
export const EXPOSED_HEADERS = 'Content-Range, Content-Length, Accept-Ranges, ETag, Last-Modified, Content-Disposition';

/**
 * CORS headers for an actual (non-preflight) response (Fetch standard, "CORS protocol").
 *
 * - `'*'`: `Access-Control-Allow-Origin: *` for everyone; the answer does not depend on Origin.
 * - a list: the request's Origin is echoed when it is on the list (exact, case-sensitive match), and
 *   `Vary: Origin` is sent on EVERY response, allowed or not, so a shared cache (CloudFront) never hands one
 *   origin's answer, or an answer without the header, to another origin (RFC 9110 12.5.5).
 * Credentials (`allowCredentials`, list only): the echoed origin also gets `Access-Control-Allow-Credentials: true`.
 */
export function corsHeaders(request: RequestFacts, policy: CorsPolicy | undefined): Record<string, string> {
  if (policy === undefined) return {};
  if (policy.allowedOrigins === '*') {
    return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
  }
  const origin = request.headers.origin;
  if (origin === undefined || !policy.allowedOrigins.includes(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    ...(policy.allowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}
