/**
 * What a log line may say about a request without handing out what authorises it: the values of signing query
 * parameters, cookies and credentials are replaced with REDACTED, their names are kept (so a reader still sees
 * THAT a request was signed, and how). One place for every log the project writes: the function's request line,
 * and the local stack's diagnostics and demo request log.
 *
 * Secret values:
 * - CloudFront signed URLs: `Policy`, `Signature`, `Key-Pair-Id` (`Expires` is a plain time and stays)
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html
 * - CloudFront signed cookies: `CloudFront-Policy`, `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, and every
 *   other cookie value (a session cookie is as good as a password)
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html
 * - SigV4 presigned URLs (the 307 to S3): `X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * - `Authorization` and `Proxy-Authorization` headers.
 *
 * Pure string work, no URL parsing: a log line must show the target as it arrived (no normalisation), and a
 * malformed one must still be redacted rather than throw.
 */

export const REDACTED = 'REDACTED';

/** Query parameters whose values authorise a request (compared case-insensitively, after percent-decoding). */
const SIGNING_PARAMETERS: ReadonlySet<string> = new Set([
  'policy',
  'signature',
  'key-pair-id',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

/** Headers whose whole value is a credential. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-amz-security-token',
]);

/** Headers that carry a URL, which may be a signed one (a 307's presigned Location, a signed page as Referer). */
const URL_HEADERS: ReadonlySet<string> = new Set(['location', 'referer', 'content-location']);

/**
 * A URL or request target (`/path?query`, absolute or relative) with each signing parameter's value replaced;
 * everything else byte for byte as given.
 */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const hash = url.indexOf('#', question);
  const end = hash === -1 ? url.length : hash;
  const query = url
    .slice(question + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return SIGNING_PARAMETERS.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, question)}?${query}${url.slice(end)}`;
}

/** A Cookie (or Set-Cookie) header value with every cookie's value replaced: `a=REDACTED; b=REDACTED`. */
export function redactCookies(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? pair : `${pair.slice(0, equals)}=${REDACTED}`;
    })
    .join(';');
}

export type HeaderValue = string | readonly string[] | undefined;

/** A header's value as it may be logged, by its name (any case). */
export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie' || lower === 'set-cookie') return redactCookies(value);
  if (CREDENTIAL_HEADERS.has(lower)) return REDACTED;
  if (URL_HEADERS.has(lower)) return redactUrl(value);
  return value;
}

/** Headers as they may be logged: cookies, credentials and signed URLs in them redacted, the rest unchanged. */
export function redactHeaders(headers: Readonly<Record<string, HeaderValue>>): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) out[name] = value;
    else if (typeof value === 'string') out[name] = redactHeader(name, value);
    else out[name] = value.map((one) => redactHeader(name, one));
  }
  return out;
}

/**
 * `name=value` of a signing parameter or a CloudFront cookie anywhere in free text (a URL inside a message, an
 * error's stack), also where the URL itself sits percent-encoded inside another one (`%26Signature%3D...`).
 * The name must not continue a longer word (`MySignature=` is left alone) unless it follows an encoded `&`/`?`.
 */
const SIGNING_PAIR =
  /(?<=^|[^\w-]|%26|%3[Ff])(x-amz-signature|x-amz-credential|x-amz-security-token|cloudfront-policy|cloudfront-signature|cloudfront-key-pair-id|key-pair-id|signature|policy)(=|%3[Dd])[^&\s"';,:<>]*/gi;

/** `Authorization: ...` / `Cookie: ...` written out as header lines, to the end of the line. */
const CREDENTIAL_LINE = /\b(authorization|proxy-authorization|cookie|set-cookie)(\s*:\s*)[^\r\n]*/gi;

/** Free text (a log line, an error message) with every signing value and credential header in it redacted. */
export function redactText(text: string): string {
  return text
    .replace(SIGNING_PAIR, (_match, name: string, equals: string) => `${name}${equals}${REDACTED}`)
    .replace(CREDENTIAL_LINE, (_match, name: string, colon: string) => `${name}${colon}${REDACTED}`);
}

/**
 * An Error as it may be logged: the same error when nothing in its message or stack needs redacting (so a
 * logger still sees its class and fields), otherwise a copy with the same name whose message, stack and cause
 * are redacted.
 */
export function redactError(error: Error): Error {
  const message = redactText(error.message);
  const stack = error.stack === undefined ? undefined : redactText(error.stack);
  const cause = error.cause instanceof Error ? redactError(error.cause) : error.cause;
  if (message === error.message && stack === error.stack && cause === error.cause) return error;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  copy.name = error.name;
  if (stack === undefined) delete copy.stack;
  else copy.stack = stack;
  return copy;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
