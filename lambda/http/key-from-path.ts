/** S3 object keys are at most 1024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects"). */
export const MAX_KEY_BYTES = 1024;

/** A `%` not followed by two hex digits. */
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

export type KeyFromPathResult =
  | { readonly ok: true; readonly key: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Turn a Function URL `rawPath` (still percent-encoded, starting with `/`) into the S3 key to read.
 *
 * One leading `/` is removed and the rest is percent-decoded exactly once, segment by segment (RFC 3986 2.4:
 * decode once, after splitting on `/`), so `%2F` yields a `/` inside the key and `%252F` yields the text
 * `%2F`. `+` stays `+`: a path is not form-encoded. Then the DECODED key is checked, because that is what S3
 * will see: no empty key or empty segment (`a//b`, a trailing `/`), no `.` or `..` segment (also when decoding
 * made one, `%2e%2e`, `a%2F..%2Fb`), no control character (C0, DEL, C1), at most 1024 UTF-8 bytes including
 * the prefix. The prefix is prepended verbatim (configure it with its trailing `/`), and because no `..` can
 * survive, the key cannot leave it.
 *
 * Reasons are fixed, short sentences: they never echo the path, so they are safe to send to a client.
 */
export function keyFromPath(rawPath: string, prefix: string): KeyFromPathResult {
  if (!rawPath.startsWith('/')) return fail('the path must start with "/"');
  const encoded = rawPath.slice(1);
  if (encoded === '') return fail('the path names no object');
  if (BAD_PERCENT.test(encoded)) return fail('the path has an invalid percent-encoding');
  if (!encoded.isWellFormed()) return fail('the path is not valid UTF-8');

  const decodedSegments: string[] = [];
  for (const segment of encoded.split('/')) {
    try {
      decodedSegments.push(decodeURIComponent(segment));
    } catch {
      // decodeURIComponent throws URIError for percent-encoded bytes that are not well-formed UTF-8
      // (overlong forms, surrogates, truncated sequences).
      return fail('the path is not valid UTF-8 once percent-decoded');
    }
  }
  const key = decodedSegments.join('/');

  for (const segment of key.split('/')) {
    if (segment === '') return fail('the path has an empty segment');
    if (segment === '.' || segment === '..') return fail('the path has a "." or ".." segment');
  }
  if (hasControlCharacter(key)) return fail('the path contains a control character');
  if (Buffer.byteLength(prefix + key, 'utf8') > MAX_KEY_BYTES) return fail('the path is too long for an object key');
  return { ok: true, key: prefix + key };
}

function fail(reason: string): KeyFromPathResult {
  return { ok: false, reason };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
