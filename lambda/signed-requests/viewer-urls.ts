/**
 * The URL(s) the viewer used, as CloudFront would compare them against a policy's Resource: scheme + host +
 * raw path (still percent-encoded, as sent) + the query WITHOUT the signing parameters.
 *
 * Where the host comes from:
 * - the request's own `Host` (scheme from `X-Forwarded-Proto`, which Function URLs set, else https): right for a
 *   public Function URL used directly and for the local stack;
 * - each configured public base URL (SIGNED_URL_BASE, e.g. `https://media.example.com`): right when the function
 *   sits behind a proxy or CDN whose host it never sees. Behind CloudFront the `Host` reaching the function is
 *   the Function URL's own (CloudFront must not forward the viewer's Host to a Function URL, and forwards no
 *   X-Forwarded-Host), so the distribution's hosts have to be configured.
 */
export function viewerUrls(
  headers: Readonly<Record<string, string | undefined>>,
  rawPath: string,
  query: string,
  baseUrls: readonly string[],
): string[] {
  const tail = query === '' ? rawPath : `${rawPath}?${query}`;
  const urls = baseUrls.map((base) => base + tail);
  const host = header(headers, 'host');
  if (host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    const proto = header(headers, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    const scheme = proto === 'http' ? 'http' : 'https';
    const own = `${scheme}://${host.toLowerCase()}${tail}`;
    if (!urls.includes(own)) urls.push(own);
  }
  return urls;
}

function header(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined && value !== '') return value;
  }
  return undefined;
}
