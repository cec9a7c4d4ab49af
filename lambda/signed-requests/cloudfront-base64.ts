/**
 * CloudFront's URL-safe base64 (CloudFront developer guide, "Create a signed URL using a canned policy", step 3):
 * standard base64 with `+` -> `-`, `=` -> `_`, `/` -> `~`, so the value survives a query string or cookie
 * without percent-encoding.
 *
 * Decoding is strict: Node's base64 decoder silently skips characters it does not know, which would let a
 * mangled token decode to *something*; here anything outside the alphabet, a wrong length or padding in the
 * middle is `undefined` (a malformed token, never a guess).
 */

const CLOUDFRONT_ALPHABET = /^[A-Za-z0-9~-]*_{0,2}$/;

export function encodeCloudFrontBase64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/[+=/]/g, (c) => (c === '+' ? '-' : c === '=' ? '_' : '~'));
}

/** The decoded bytes, or undefined when `text` is not CloudFront base64 (the value is never echoed anywhere). */
export function decodeCloudFrontBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !CLOUDFRONT_ALPHABET.test(text)) return undefined;
  const standard = text.replace(/[-_~]/g, (c) => (c === '-' ? '+' : c === '_' ? '=' : '/'));
  const bytes = Buffer.from(standard, 'base64');
  // Round trip: rejects non-canonical trailing bits (two encodings of the same bytes would be two tokens).
  return bytes.toString('base64') === standard ? bytes : undefined;
}
