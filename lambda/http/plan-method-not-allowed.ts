import type { CorsPolicy } from './cors-headers.ts';
import { noStoreHeaders } from './no-store-headers.ts';
import type { BodylessPlan, RequestFacts } from './types.ts';

/**
 * 405 for any method but GET and HEAD (and OPTIONS when CORS is on, which answers preflights).
 * RFC 9110 15.5.6: a 405 MUST carry Allow with the methods the resource supports.
 */
export function planMethodNotAllowed(
  request: RequestFacts,
  policy: { readonly cors: CorsPolicy | undefined },
): BodylessPlan {
  return {
    status: 405,
    headers: {
      ...noStoreHeaders(request, policy.cors),
      allow: policy.cors === undefined ? 'GET, HEAD' : 'GET, HEAD, OPTIONS',
      'content-length': '0',
    },
    body: { kind: 'none' },
  };
}
