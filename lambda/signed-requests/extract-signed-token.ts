/**
 * Finds CloudFront's signing parameters in a Function URL request and removes them from the query, so nothing
 * after this (the `?download=` reader, the log) ever sees them.
 *
 * Signed URL (CloudFront developer guide, "Use signed URLs"): query parameters `Expires` (canned) or `Policy`
 * (custom), `Signature`, `Key-Pair-Id`, and `Hash-Algorithm=SHA256` when signed with SHA-256.
 * Signed cookies ("Use signed cookies"): `CloudFront-Expires` or `CloudFront-Policy`, `CloudFront-Signature`,
 * `CloudFront-Key-Pair-Id`, `CloudFront-Hash-Algorithm`.
 *
 * A request with any signing query parameter is judged by its URL alone (its cookies are not consulted).
 * A repeated parameter or cookie, both Expires and Policy, or a missing part is malformed: an ambiguous token is
 * refused rather than interpreted. (Browsers send two cookies of the same name when two cookie sets with
 * different Paths apply; sign one Path per prefix.)
 */

export type HashAlgorithm = 'SHA1' | 'SHA256';

export interface SignedToken {
  readonly source: 'url' | 'cookies';
  readonly keyPairId: string;
  /** CloudFront base64, as sent. */
  readonly signature: string;
  /** Canned policy: the expiry in epoch seconds, as sent (digits). */
  readonly expires: string | undefined;
  /** Custom policy: the policy document in CloudFront base64, as sent. */
  readonly policy: string | undefined;
  readonly hashAlgorithm: HashAlgorithm;
}

export type TokenExtraction =
  | { readonly kind: 'none'; readonly query: string }
  | { readonly kind: 'malformed'; readonly query: string }
  | { readonly kind: 'token'; readonly token: SignedToken; readonly query: string };

const URL_PARAMETERS = ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'] as const;
type Part = (typeof URL_PARAMETERS)[number];
const COOKIE_PREFIX = 'CloudFront-';

/** The raw query without the signing parameters (other parameters kept byte for byte, in order). */
export function extractSignedToken(rawQueryString: string, cookies: readonly string[] | undefined): TokenExtraction {
  const kept: string[] = [];
  const fromUrl = new Map<Part, string[]>();
  for (const pair of rawQueryString === '' ? [] : rawQueryString.split('&')) {
    const eq = pair.indexOf('=');
    const name = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
    if (name !== undefined && isPart(name)) {
      // An undecodable value counts as empty, which makes the token malformed.
      const value = safeDecode(eq === -1 ? '' : pair.slice(eq + 1)) ?? '';
      fromUrl.set(name, [...(fromUrl.get(name) ?? []), value]);
    } else {
      kept.push(pair);
    }
  }
  const query = kept.join('&');
  if (fromUrl.size > 0) return tokenFrom('url', fromUrl, query);

  const fromCookies = new Map<Part, string[]>();
  for (const cookie of cookies ?? []) {
    const eq = cookie.indexOf('=');
    const name = (eq === -1 ? cookie : cookie.slice(0, eq)).trim();
    if (!name.startsWith(COOKIE_PREFIX)) continue;
    const part = name.slice(COOKIE_PREFIX.length);
    if (!isPart(part)) continue;
    const value = eq === -1 ? '' : cookie.slice(eq + 1).trim();
    fromCookies.set(part, [...(fromCookies.get(part) ?? []), value]);
  }
  if (fromCookies.size > 0) return tokenFrom('cookies', fromCookies, query);
  return { kind: 'none', query };
}

function tokenFrom(source: SignedToken['source'], parts: ReadonlyMap<Part, string[]>, query: string): TokenExtraction {
  const one = (part: Part): string | undefined | null => {
    const values = parts.get(part);
    if (values === undefined) return undefined;
    return values.length === 1 && values[0] !== undefined && values[0] !== '' ? values[0] : null;
  };
  const signature = one('Signature');
  const keyPairId = one('Key-Pair-Id');
  const expires = one('Expires');
  const policy = one('Policy');
  const hash = one('Hash-Algorithm');
  const malformed: TokenExtraction = { kind: 'malformed', query };
  if (signature == null || keyPairId == null || expires === null || policy === null || hash === null) return malformed;
  if ((expires === undefined) === (policy === undefined)) return malformed;
  if (hash !== undefined && hash !== 'SHA1' && hash !== 'SHA256') return malformed;
  return {
    kind: 'token',
    query,
    token: { source, keyPairId, signature, expires, policy, hashAlgorithm: hash ?? 'SHA1' },
  };
}

function isPart(name: string): name is Part {
  return (URL_PARAMETERS as readonly string[]).includes(name);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
