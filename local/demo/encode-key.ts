/**
 * The demo's media URLs: an S3 key as a Function URL path, each segment percent-encoded (RFC 3986 unreserved
 * characters only) so the function's key-from-path decodes it back to the same key.
 */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}
