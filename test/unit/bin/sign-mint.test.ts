/** The sign tool's output, checked by the function's own verifier (and by shape for the cookie attributes). */
import type { SignOptions } from '../../../bin/sign/args.ts';
import { cookiePath, mint } from '../../../bin/sign/mint.ts';
import { extractSignedToken } from '../../../lambda/signed-requests/extract-signed-token.ts';
import { verifySignedToken } from '../../../lambda/signed-requests/verify-signed-token.ts';
import { keysOf, rawPathOf, rawQueryOf, testKeyPair } from '../../support/signing-keys.ts';

const pair = testKeyPair('K2JCJMDEHXQW5F');
const NOW = Date.now();
const base: SignOptions = {
  kind: 'sign',
  url: 'https://d111.cloudfront.net/a.mp4',
  expires: Math.floor(NOW / 1000) + 3600,
  notBefore: undefined,
  ip: undefined,
  cookies: false,
  keyPairId: pair.keyPairId,
  privateKeyFile: 'unused',
  algorithm: 'SHA1',
};

function verify(url: string, cookies: string[] = [], sourceIp = '203.0.113.9') {
  const extraction = extractSignedToken(rawQueryOf(url), cookies);
  if (extraction.kind !== 'token') return { ok: false, reason: extraction.kind };
  const query = extraction.query === '' ? '' : `?${extraction.query}`;
  return verifySignedToken({
    token: extraction.token,
    viewerUrls: [`https://d111.cloudfront.net${rawPathOf(url)}${query}`],
    sourceIp,
    nowMs: NOW,
    keys: keysOf(pair),
  });
}

describe('mint', () => {
  test('a canned URL the verifier accepts', () => {
    // Act
    const minted = mint(base, pair.privateKey);
    // Assess
    if (minted.kind !== 'url') throw new Error(minted.kind);
    expect(minted.url).toMatch(/\?Expires=\d+&Key-Pair-Id=K2JCJMDEHXQW5F&Signature=[^&]+$/);
    expect(verify(minted.url)).toEqual({ ok: true });
  });

  test('an IPv6-restricted custom URL (the library alone only takes IPv4)', () => {
    // Act
    const minted = mint({ ...base, ip: '2001:db8::/32', algorithm: 'SHA256' }, pair.privateKey);
    // Assess
    if (minted.kind !== 'url') throw new Error(minted.kind);
    expect(minted.url).toContain('Policy=');
    expect(verify(minted.url, [], '2001:db8::7')).toEqual({ ok: true });
    expect(verify(minted.url, [], '2001:db9::7')).toEqual({ ok: false, reason: 'ip-mismatch' });
  });

  test('a wildcard URL gives the query to append to any matching URL', () => {
    // Act
    const minted = mint({ ...base, url: 'https://d111.cloudfront.net/hls/*' }, pair.privateKey);
    // Assess
    if (minted.kind !== 'query') throw new Error(minted.kind);
    expect(verify(`https://d111.cloudfront.net/hls/720p/seg-1.ts?${minted.query}`)).toEqual({ ok: true });
    expect(verify(`https://d111.cloudfront.net/other/a.ts?${minted.query}`)).toEqual({
      ok: false,
      reason: 'resource-mismatch',
    });
  });

  test('cookies for a rendition: Path, Secure, HttpOnly, SameSite=None, and the verifier accepts them', () => {
    // Act
    const minted = mint({ ...base, url: 'https://d111.cloudfront.net/hls/show/*', cookies: true }, pair.privateKey);
    // Assess
    if (minted.kind !== 'cookies') throw new Error(minted.kind);
    expect(minted.setCookie.map((line) => line.split('=')[0])).toEqual([
      'CloudFront-Key-Pair-Id',
      'CloudFront-Signature',
      'CloudFront-Policy',
    ]);
    for (const line of minted.setCookie) {
      expect(line).toMatch(/; Path=\/hls\/show\/; Expires=[^;]+ GMT; Secure; HttpOnly; SameSite=None$/);
    }
    const cookies = minted.setCookie.map((line) => line.split(';')[0] ?? '');
    expect(verify('https://d111.cloudfront.net/hls/show/index.m3u8', cookies)).toEqual({ ok: true });
  });

  test('cookies for http://127.0.0.1 are not Secure and SameSite=Lax', () => {
    // Act
    const minted = mint({ ...base, url: 'http://127.0.0.1:3200/hls/*', cookies: true }, pair.privateKey);
    // Assess
    if (minted.kind !== 'cookies') throw new Error(minted.kind);
    for (const line of minted.setCookie) expect(line).toMatch(/; HttpOnly; SameSite=Lax$/);
  });

  test.each([
    ['https://d.example/a.mp4', '/'],
    ['https://d.example/hls/show/index.m3u8', '/hls/show/'],
    ['https://d.example/hls/*', '/hls/'],
    ['https://d.example/hls/show-?/*', '/hls/'],
    ['*://*/media/*', '/'],
  ])('cookiePath(%s) = %s', (url, path) => {
    expect(cookiePath(url)).toBe(path);
  });
});

test('a URL with a query (and no *) is a canned URL, not a pattern', () => {
  // Act
  const minted = mint({ ...base, url: 'https://d111.cloudfront.net/a.mp4?download=x.mp4' }, pair.privateKey);
  // Assess
  if (minted.kind !== 'url') throw new Error(minted.kind);
  expect(minted.url).toMatch(/^https:\/\/d111\.cloudfront\.net\/a\.mp4\?download=x\.mp4&Expires=/);
  expect(verify(minted.url)).toEqual({ ok: true });
});
