import type { CorsPolicy } from './cors-headers.ts';

/** The knobs of the HTTP decision, built once from configuration (lambda/config.ts). */
export interface HttpPolicy {
  /**
   * An open-ended `bytes=N-` from a client that follows short 206s (followsShortRanges: browsers, AVFoundation)
   * is answered with at most this many bytes (206, truthful Content-Range); other clients get the remainder.
   */
  readonly openRangeCapBytes: number;
  /** A response body larger than this is redirected (307) instead of streamed (Lambda's payload limit). */
  readonly maxResponseBytes: number;
  /** Most parts a multipart/byteranges answer may have after coalescing; more -> 200. */
  readonly maxRangeParts: number;
  /** Cache-Control for objects stored without one. */
  readonly defaultCacheControl: string;
  readonly cors: CorsPolicy | undefined;
}

/** Visible ASCII, SP and HTAB: what a field value may hold without obs-text (RFC 9110 5.5). */
const FIELD_VALUE = /^[\t\x20-\x7e]+$/;

const checked = new WeakSet<HttpPolicy>();

/**
 * Throw a TypeError naming the field when a policy is unusable, so a typo in configuration fails loudly at
 * the first request instead of producing wrong answers. Each policy object is checked once.
 */
export function assertHttpPolicy(policy: HttpPolicy): void {
  if (checked.has(policy)) return;
  positiveInteger('openRangeCapBytes', policy.openRangeCapBytes);
  positiveInteger('maxResponseBytes', policy.maxResponseBytes);
  positiveInteger('maxRangeParts', policy.maxRangeParts);
  if (typeof policy.defaultCacheControl !== 'string' || !FIELD_VALUE.test(policy.defaultCacheControl)) {
    throw new TypeError(
      `HttpPolicy.defaultCacheControl must be a non-empty header value, got ${JSON.stringify(policy.defaultCacheControl)}`,
    );
  }
  const cors = policy.cors;
  if (cors !== undefined) {
    const origins = cors.allowedOrigins;
    const valid =
      origins === '*' ||
      (Array.isArray(origins) &&
        origins.every((origin: unknown) => typeof origin === 'string' && /^[!-~]+$/.test(origin)));
    if (!valid) {
      throw new TypeError(
        `HttpPolicy.cors.allowedOrigins must be '*' or a list of origins, got ${JSON.stringify(origins)}`,
      );
    }
    if (cors.allowCredentials === true && origins === '*') {
      throw new TypeError("HttpPolicy.cors.allowCredentials needs a list of origins, not '*' (Fetch standard)");
    }
  }
  checked.add(policy);
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`HttpPolicy.${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}
