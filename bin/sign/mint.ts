/**
 * The signing itself, on @aws-sdk/cloudfront-signer (getSignedUrl / getSignedCookies). Pure given the private key
 * text and the options, so the output is unit-tested against the function's own verifier.
 *
 * Canned policy when it can be (one exact URL, only an expiry: shorter URLs, and what CloudFront docs call the
 * canned form); otherwise a custom policy built here, because the library's own `ipAddress` accepts IPv4 only.
 *
 * Cookies: one `Set-Cookie` line per CloudFront cookie, with
 * - `Path` = the URL's directory up to the first wildcard (a rendition's cookies go to its playlist and segments);
 * - `Secure` unless the URL is http://localhost / 127.0.0.1 / [::1] (browsers treat those as secure contexts but
 *   the local stack speaks plain HTTP);
 * - `HttpOnly` (page scripts never need them);
 * - `SameSite=None` when Secure (a player page on another site must send them), else `SameSite=Lax` (same-site
 *   only; ports do not make a site, so the local demo page on another port still sends them);
 * - `Expires` = the policy's expiry. No `Domain`: host-only, for the host of the URL that sets them.
 */
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import type { SignOptions } from './args.ts';

export type Minted =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'query'; readonly query: string }
  | { readonly kind: 'cookies'; readonly setCookie: readonly string[] };

export function mint(options: SignOptions, privateKey: string): Minted {
  // `*` makes a pattern. A `?` is read as the start of the query (a canned URL may carry one); in a pattern it is
  // CloudFront's one-character wildcard, as in the policy itself.
  const wildcard = options.url.includes('*');
  const canned = !wildcard && options.notBefore === undefined && options.ip === undefined;
  const credentials = { keyPairId: options.keyPairId, privateKey, algorithm: options.algorithm } as const;
  const policy = canned ? undefined : customPolicy(options);
  if (options.cookies) {
    const cookies =
      policy === undefined
        ? getSignedCookies({ ...credentials, url: options.url, dateLessThan: new Date(options.expires * 1000) })
        : getSignedCookies({ ...credentials, policy });
    return {
      kind: 'cookies',
      setCookie: Object.entries(cookies).map(([name, value]) => setCookie(name, String(value), options)),
    };
  }
  if (policy === undefined) {
    return {
      kind: 'url',
      url: getSignedUrl({ ...credentials, url: options.url, dateLessThan: new Date(options.expires * 1000) }),
    };
  }
  if (!wildcard) return { kind: 'url', url: getSignedUrl({ ...credentials, url: options.url, policy }) };
  // A wildcard is not a URL anyone requests: sign a placeholder and hand back only the query to append.
  const signed = getSignedUrl({ ...credentials, url: 'https://placeholder.invalid/', policy });
  return { kind: 'query', query: signed.slice(signed.indexOf('?') + 1) };
}

/** The custom policy document (CloudFront developer guide, "custom policy"), epoch seconds. */
export function customPolicy(options: Pick<SignOptions, 'url' | 'expires' | 'notBefore' | 'ip'>): string {
  const condition: Record<string, unknown> = { DateLessThan: { 'AWS:EpochTime': options.expires } };
  if (options.notBefore !== undefined) condition.DateGreaterThan = { 'AWS:EpochTime': options.notBefore };
  if (options.ip !== undefined) condition.IpAddress = { 'AWS:SourceIp': options.ip };
  return JSON.stringify({ Statement: [{ Resource: options.url, Condition: condition }] });
}

/** The cookie Path for a URL or URL pattern: its directory before the first wildcard. */
export function cookiePath(url: string): string {
  // The literal text before the first wildcard; a wildcard in the scheme or host may span any path: then "/".
  const literal = url.split(/[*?]/)[0] ?? '';
  const match = /^[a-z]+:\/\/[^/]+(\/.*)$/i.exec(literal);
  const path = match?.[1];
  if (path === undefined) return '/';
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function setCookie(name: string, value: string, options: SignOptions): string {
  const secure = !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(options.url);
  const attributes = [
    `${name}=${value}`,
    `Path=${cookiePath(options.url)}`,
    `Expires=${new Date(options.expires * 1000).toUTCString()}`,
    ...(secure ? ['Secure'] : []),
    'HttpOnly',
    secure ? 'SameSite=None' : 'SameSite=Lax',
  ];
  return attributes.join('; ');
}
