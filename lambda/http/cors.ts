/** CORS, answered by the function only (never also by the Function URL: duplicate headers fail in browsers). */
export { type CorsPolicy, corsHeaders, EXPOSED_HEADERS } from './cors-headers.ts';
export { ALLOWED_REQUEST_HEADERS, planPreflight } from './plan-preflight.ts';
