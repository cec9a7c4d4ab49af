import type { CorsPolicy } from './cors-headers.ts';
import { noStoreHeaders } from './no-store-headers.ts';
import type { RedirectPlan, RequestFacts } from './types.ts';

/**
 * A `307 Temporary Redirect` with no body (the transport adds Location). 307 keeps the method (RFC 9110
 * section 15.4.8), so a HEAD stays a HEAD; being temporary, a client goes back to the origin URL for its next
 * request and gets a fresh Location. `private, no-store`: the Location is a short-lived, per-viewer URL that no
 * shared cache may keep. Used for answers over the response budget and for plain GETs sent to S3.
 */
export function planRedirect(request: RequestFacts, cors: CorsPolicy | undefined): RedirectPlan {
  return {
    status: 307,
    headers: { ...noStoreHeaders(request, cors), 'cache-control': 'private, no-store', 'content-length': '0' },
    body: { kind: 'redirect' },
  };
}
