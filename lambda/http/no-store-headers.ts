import { type CorsPolicy, corsHeaders } from './cors-headers.ts';
import type { RequestFacts } from './types.ts';

/**
 * The base headers of every answer that is not a representation (errors, 412, 416, 405, redirects): never
 * stored by a cache (a 416 or a redirect depends on request headers that CloudFront does not key on), never
 * sniffed, and readable cross-origin like any other answer, so a player sees the real status, not a CORS error.
 */
export function noStoreHeaders(request: RequestFacts, cors: CorsPolicy | undefined): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...corsHeaders(request, cors),
  };
}
